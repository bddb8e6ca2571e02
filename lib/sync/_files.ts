// Files the sync paths replace whole: written under a temporary name, on disk, then renamed into
// place, so a reader (or the next sync after a crash or a power cut) sees the old file or the
// new one, never a part.
import { writeAll } from "../core/_write_all.ts";

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
