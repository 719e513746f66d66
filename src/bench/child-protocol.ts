// The IPC messages between the bench (parent) and the daemon under test (daemon-child.ts), with
// zod schemas so that each side checks what it receives.

import { z } from 'zod';

/** Parent -> child. */
export const parentMessageSchema = z.discriminatedUnion('type', [
  /** The daemon's environment (sim URLs and credentials included); loadConfig reads it. */
  z.object({ type: z.literal('start'), env: z.record(z.string(), z.string()) }),
  /** The measured window opens: reset the samples and take the CPU baseline. */
  z.object({ type: z.literal('mark') }),
  /** The window closes: report, then shut the daemon down (cancel everything) and exit. */
  z.object({ type: z.literal('stop') }),
]);
export type ParentMessage = z.infer<typeof parentMessageSchema>;

export const childReportSchema = z.object({
  tickToOrderMicros: z.array(z.number()),
  cpuUserMicros: z.number(),
  cpuSystemMicros: z.number(),
  wallMs: z.number(),
  maxRssKiB: z.number(),
  /** Resident set when the window opened and when it closed, for telling start-up peaks from growth. */
  rssAtMarkBytes: z.number(),
  rssAtStopBytes: z.number(),
  loop: z.object({ placed: z.number(), cancelsSent: z.number(), fills: z.number(), flattens: z.number(), postOnlyRejects: z.number() }),
});
export type ChildReport = z.infer<typeof childReportSchema>;

/** Child -> parent. */
export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('marked') }),
  z.object({ type: z.literal('report'), report: childReportSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;
