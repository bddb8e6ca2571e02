// The download engine's MD5: on the calling thread, or in a Worker fed 2 MiB batches.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { localMd5, type Md5, prefixMd5, workerMd5 } from "../../lib/core/_md5.ts";

// 40 chunks of ~300 KB at odd offsets and sizes: 12 MB, more than the batches the Worker may
// hold at once, so that updates also wait for it.
const chunks = Array.from({ length: 40 }, (_, i) => {
  const bytes = new Uint8Array(new ArrayBuffer(320_000 + i * 997), 5, 300_000 + i * 991);
  for (let j = 0; j < bytes.length; j++) bytes[j] = (j * 31 + i * 7) & 0xff;
  return bytes;
});
const expected = (() => {
  const hash = createHash("md5");
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest("base64");
})();

/** Feeds every chunk as the engine does, then scribbles over it: the hash must not see that. */
async function feed(md5: Md5): Promise<string> {
  for (const chunk of chunks) {
    const copy = chunk.slice();
    await md5.update(chunk);
    chunk.fill(0xee); // the engine reads the next chunk into this memory
    chunk.set(copy);
  }
  return await md5.digest();
}

Deno.test("a Worker's MD5 of batched chunks equals node:crypto's, and leaves them free", async () => {
  const md5 = workerMd5();
  assert.ok(md5 !== undefined, "this runtime starts Workers");
  try {
    // As many Workers as the process allows are busy: the next caller hashes locally.
    assert.equal(workerMd5(), undefined);
    assert.equal(await feed(md5), expected);
  } finally {
    md5.close();
  }
  assert.equal(await feed(localMd5()), expected);
  // Closed, its place is free again; an empty input hashes too.
  const again = workerMd5();
  assert.ok(again !== undefined);
  try {
    assert.equal(await again.digest(), createHash("md5").digest("base64"));
  } finally {
    again.close();
  }
});

Deno.test("a closed Worker's digest fails instead of hanging", async () => {
  const md5 = workerMd5();
  assert.ok(md5 !== undefined);
  md5.update(new Uint8Array(3 * 1024 * 1024));
  const digest = md5.digest();
  md5.close();
  await assert.rejects(digest, /closed/);
  md5.close(); // twice is harmless
});

Deno.test("the MD5 of a file written in parts reads back each prefix once, in a Worker or not", async () => {
  const path = await Deno.makeTempFile();
  try {
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
    await Deno.writeFile(path, bytes);
    const prefixes = [0, 1, 3_000_001, 3_000_001, 9_999_999, bytes.length];
    const inWorker = prefixMd5(path);
    // The one Worker this machine allows is now busy: the second hashes on this thread.
    const local = prefixMd5(path);
    try {
      for (const upTo of prefixes) {
        inWorker.advance(upTo);
        local.advance(upTo);
      }
      assert.equal(await inWorker.digest(), expected);
      assert.equal(await local.digest(), expected);
    } finally {
      inWorker.close();
      local.close();
    }
    // A prefix past the file's end (its parts were not all written) fails the digest, in a
    // Worker (the first) and on this thread (the second, while the first holds the Worker).
    for (const short of [prefixMd5(path), prefixMd5(path)]) {
      try {
        short.advance(bytes.length + 1);
        await assert.rejects(short.digest(), /ends at byte/);
      } finally {
        short.close();
      }
    }
  } finally {
    await Deno.remove(path);
  }
});
