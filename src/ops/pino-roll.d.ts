// Types for pino-roll 4, which ships none. Only the options ops/logger.ts uses are listed.

declare module 'pino-roll' {
  import type { SonicBoom, SonicBoomOpts } from 'sonic-boom';

  interface PinoRollOptions extends Omit<SonicBoomOpts, 'dest'> {
    /** Base path; pino-roll inserts `.<n>` before the extension. */
    file: string;
    /** A number is MB; a string may end in b, k, m or g. */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    symlink?: boolean;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
  }

  /** `file` is the path currently written (it changes on every roll). */
  function pinoRoll(options: PinoRollOptions): Promise<SonicBoom & { readonly file: string; readonly destroyed: boolean }>;
  export = pinoRoll;
}
