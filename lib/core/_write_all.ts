/**
 * Writing a whole buffer to a file: `Deno.FsFile.write` may take fewer bytes than it is given,
 * so every writer of the library loops until all are written.
 *
 * @module
 */

/** Writes every byte of `bytes` to `file`, at its current position. */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}
