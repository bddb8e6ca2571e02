// Files the sync paths replace whole: written under a temporary name, on disk, then renamed into
// place, so a reader (or the next sync after a crash or a power cut) sees the old file or the
// new one, never a part.
import { writeAll } from "../core/_write_all.ts";

/** The name of {@link replaceFile}'s temporary files: `<name>.<uuid>.tmp`. */
const temporaryName = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Replaces `path` with `bytes`: a temporary file, written whole and synced, then renamed. */
export async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    using file = await Deno.open(temporary, { write: true, createNew: true });
    await writeAll(file, bytes);
    // On disk before the rename: what a checkpoint later counts on is never lost.
    await file.syncData();
  } catch (e) {
    await Deno.remove(temporary).catch(() => {});
    throw e;
  }
  await Deno.rename(temporary, path);
}

/**
 * Removes the temporary files {@link replaceFile} left in `dir` when it was killed before its
 * rename: what they held was never counted on, and nothing else writes that name.
 */
export async function removeLeftovers(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && temporaryName.test(entry.name)) {
      await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
}

/**
 * The JSON value in `path`, checked by `read` (which throws on a value of another shape), or
 * `empty` when there is no such file: how a store kept in one file loads.
 */
export async function readJsonFile<A>(
  path: string,
  empty: A,
  read: (value: unknown) => A,
): Promise<A> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return empty;
    throw e;
  }
  return read(JSON.parse(text));
}

/** Replaces `path` with `value` as JSON (see {@link replaceFile}). */
export const replaceJsonFile = (path: string, value: unknown): Promise<void> =>
  replaceFile(path, new TextEncoder().encode(JSON.stringify(value)));
