// Turns one inbound WebSocket text frame into JSON values, once. Defensive per protocol §5 (RIT):
// a frame may carry several concatenated JSON objects; a top-level array is flattened one level.

export interface ParsedFrame {
  readonly values: unknown[];
  /** Pieces that were not valid JSON (logged by the caller, never thrown). */
  readonly malformed: number;
}

export function parseFrame(text: string): ParsedFrame {
  try {
    const value = JSON.parse(text) as unknown;
    return { values: Array.isArray(value) ? (value as unknown[]) : [value], malformed: 0 };
  } catch {
    // several objects in one frame, or garbage: split below
  }
  const values: unknown[] = [];
  let malformed = 0;
  const { pieces, trailingJunk } = splitTopLevel(text);
  for (const piece of pieces) {
    try {
      values.push(JSON.parse(piece) as unknown);
    } catch {
      malformed += 1;
    }
  }
  if (trailingJunk || pieces.length === 0) malformed += 1;
  return { values: flatten(values), malformed };
}

function flatten(values: unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
}

/** Top-level `{…}` / `[…]` spans, string- and escape-aware. */
function splitTopLevel(text: string): { pieces: string[]; trailingJunk: boolean } {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  let escaped = false;
  let junk = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}' || c === ']') {
      if (depth === 0) {
        junk = true;
        continue;
      }
      depth -= 1;
      if (depth === 0) pieces.push(text.slice(start, i + 1));
    } else if (depth === 0 && c !== undefined && c.trim() !== '') {
      junk = true;
    }
  }
  return { pieces, trailingJunk: junk || depth !== 0 };
}
