// What the sync paths read of a chunk of NDJSON history rows (one run's, whole lines) without
// parsing it all.

const newline = 10;

/** How many rows (lines) a chunk holds. */
export function countLines(chunk: Uint8Array): number {
  let lines = 0;
  for (let i = chunk.indexOf(newline); i >= 0; i = chunk.indexOf(newline, i + 1)) lines++;
  return lines;
}

/** `_step` of the chunk's last row, if it has one: the only row parsed. */
export function lastStepOf(chunk: Uint8Array): number | undefined {
  const end = chunk[chunk.length - 1] === newline ? chunk.length - 1 : chunk.length;
  const start = chunk.lastIndexOf(newline, end - 1) + 1;
  const row = JSON.parse(new TextDecoder().decode(chunk.subarray(start, end)));
  return typeof row._step === "number" ? row._step : undefined;
}
