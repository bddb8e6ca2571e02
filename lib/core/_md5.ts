/**
 * The MD5 of a download as it streams. A small file is hashed on the calling thread; a large
 * one in a Worker of its own, so that hashing (node:crypto's MD5 runs at ~740 MB/s on one
 * core) overlaps reading and writing instead of following them: a 2 GB checkpoint is bound by
 * the disk or the hash, not by both in turn.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";

/** The MD5 of bytes fed in order. */
export interface Md5 {
  /**
   * Adds `bytes`, which are free again when it returns. A promise: wait for it before the next
   * update (the hashing thread is behind).
   */
  readonly update: (bytes: Uint8Array) => Promise<void> | undefined;
  /** The digest, base64 as W&B sends it, once every update is hashed. */
  readonly digest: () => Promise<string>;
}

/** An MD5 on this thread, from `hash` when given (bytes already hashed, as a part file's). */
export const localMd5 = (hash: Hash = createHash("md5")): Md5 => ({
  update: (bytes) => void hash.update(bytes),
  digest: () => Promise.resolve(hash.digest("base64")),
});

/** Files at least this large are hashed in a Worker (below it, starting one costs more). */
export const workerMd5Bytes = 32 * 1024 * 1024;

/** Workers hashing at once in this process: each is an isolate of its own (16-22 MB here). */
const mostWorkers = Math.max(1, Math.min(4, (navigator.hardwareConcurrency ?? 2) - 1));
let workers = 0;

/**
 * Bytes gathered before they go to the Worker, and batches out at once. A message per network
 * read (~90 KB) cost more than the hashing it saved (a 2 GB file took longer than hashed here);
 * copying into 2 MiB batches costs a small part of the MD5's ~1.4 s per GB.
 */
const batchBytes = 2 * 1024 * 1024;
const batchesOut = 3;

const streamWorkerSource = `import { createHash } from "node:crypto";
const hash = createHash("md5");
self.onmessage = ({ data }) => {
  if (data.buffer === undefined) {
    self.postMessage({ md5: hash.digest("base64") });
    return;
  }
  hash.update(new Uint8Array(data.buffer, 0, data.length));
  self.postMessage({ buffer: data.buffer }, [data.buffer]);
};`;
/** A Worker that answers each message in turn (in the order they went), and its end. */
interface HashingWorker {
  /** Sends `message`; resolves with the Worker's answer to it. */
  readonly ask: <A>(message: unknown, transfer?: Array<Transferable>) => Promise<A>;
  readonly close: () => void;
}

// Worker code travels as a Blob rather than as a module file next to this one, so that a
// program bundled with `deno bundle` (which does not follow `new Worker(new URL(…))`) keeps it.
const workerUrls = new Map<string, string>();

/**
 * A Worker running `source`, counted against the process's limit; `undefined` when this
 * process already hashes in as many as it should or cannot start one (Deno Deploy has none).
 */
function startWorker(source: string): HashingWorker | undefined {
  if (workers >= mostWorkers) return undefined;
  let worker: Worker;
  try {
    let url = workerUrls.get(source);
    if (url === undefined) {
      url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      workerUrls.set(source, url);
    }
    worker = new Worker(url, { type: "module" });
  } catch {
    return undefined;
  }
  workers++;
  const waiting: Array<{ resolve: (data: never) => void; reject: (e: unknown) => void }> = [];
  let failed: unknown;
  const fail = (error: unknown) => {
    failed = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  worker.onmessage = ({ data }) => {
    const next = waiting.shift();
    if (data?.error !== undefined) next?.reject(new Error(data.error));
    else next?.resolve(data as never);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`the MD5 worker failed: ${event.message}`));
  };
  let closed = false;
  return {
    ask: <A>(message: unknown, transfer: Array<Transferable> = []) =>
      new Promise<A>((resolve, reject) => {
        if (failed !== undefined) return reject(failed);
        waiting.push({ resolve: resolve as (data: never) => void, reject });
        worker.postMessage(message, transfer);
      }),
    close: () => {
      if (closed) return;
      closed = true;
      workers--;
      worker.terminate();
      fail(new Error("the MD5 worker was closed"));
    },
  };
}

/**
 * An MD5 computed in a Worker, or `undefined` when this process already hashes in as many as it
 * should or cannot start one: then the caller hashes on its own thread. `close` ends the
 * Worker; call it however the download ends.
 */
export function workerMd5(): (Md5 & { readonly close: () => void }) | undefined {
  const worker = startWorker(streamWorkerSource);
  if (worker === undefined) return undefined;
  // Batches out at the Worker, and buffers it gave back.
  let out = 0;
  const back: Array<ArrayBuffer> = [];
  let woken: (() => void) | undefined;
  const returned = () => {
    out--;
    woken?.();
    woken = undefined;
  };
  let batch = new Uint8Array(batchBytes);
  let filled = 0;
  const send = () => {
    out++;
    worker.ask<{ buffer: ArrayBuffer }>({ buffer: batch.buffer, length: filled }, [batch.buffer])
      .then(
        ({ buffer }) => {
          back.push(buffer);
          returned();
        },
        returned,
      );
    filled = 0;
  };
  /** A buffer for the next batch: one given back, a new one, or (too many out) a wait. */
  const nextBatch = (): Promise<void> | undefined => {
    const buffer = back.pop();
    if (buffer !== undefined || out < batchesOut) {
      batch = buffer === undefined ? new Uint8Array(batchBytes) : new Uint8Array(buffer);
      return undefined;
    }
    return new Promise<void>((resolve) => (woken = resolve)).then(nextBatch);
  };
  const update = (bytes: Uint8Array): Promise<void> | undefined => {
    for (let at = 0; at < bytes.byteLength;) {
      const n = Math.min(bytes.byteLength - at, batchBytes - filled);
      batch.set(bytes.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === batchBytes) {
        send();
        const wait = nextBatch();
        // The Worker is behind: the rest of `bytes` goes once it has caught up.
        if (wait !== undefined) return wait.then(() => update(bytes.subarray(at)));
      }
    }
    return undefined;
  };
  return {
    update,
    digest: async () => {
      if (filled > 0) send();
      return (await worker.ask<{ md5: string }>({})).md5;
    },
    close: worker.close,
  };
}

// Reads with sync calls: the Worker does nothing else meanwhile, and a sync read of bytes just
// written (in the page cache) costs less than an async one's hand-off to Deno's I/O threads.
const prefixWorkerSource = `import { createHash } from "node:crypto";
const hash = createHash("md5");
const buffer = new Uint8Array(1024 * 1024);
let file;
let at = 0;
let failed;
self.onmessage = ({ data }) => {
  if (failed !== undefined) return self.postMessage({ error: failed });
  try {
    if (data.path !== undefined) {
      file = Deno.openSync(data.path);
    } else if (data.upTo !== undefined) {
      while (at < data.upTo) {
        const n = file.readSync(buffer.subarray(0, Math.min(buffer.length, data.upTo - at)));
        if (n === null || n === 0) throw new Error("the file ends at byte " + at);
        hash.update(buffer.subarray(0, n));
        at += n;
      }
    } else {
      file?.close();
      self.postMessage({ md5: hash.digest("base64") });
      return;
    }
    self.postMessage({});
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
    self.postMessage({ error: failed });
  }
};`;

/**
 * The MD5 of a file written out of order (a file fetched in parts): told how far from its
 * start the bytes are all written, it hashes up to there, reading them back from disk.
 */
export interface PrefixMd5 {
  /** Bytes `[0, upTo)` are written: hash them (in the background). */
  readonly advance: (upTo: number) => void;
  /** The digest, base64, of every byte advanced to; rejects if a read failed. */
  readonly digest: () => Promise<string>;
  readonly close: () => void;
}

/**
 * A {@link PrefixMd5} of the file at `path`, in a Worker when one starts (the hash then leaves
 * the thread that writes the parts), else on this thread.
 */
export function prefixMd5(path: string): PrefixMd5 {
  const worker = startWorker(prefixWorkerSource);
  if (worker !== undefined) {
    let progress = worker.ask<unknown>({ path });
    progress.catch(() => {}); // seen by `digest`
    return {
      advance: (upTo) => {
        progress = worker.ask({ upTo });
        progress.catch(() => {}); // seen by `digest`
      },
      digest: async () => {
        await progress;
        return (await worker.ask<{ md5: string }>({})).md5;
      },
      close: worker.close,
    };
  }
  const hash = createHash("md5");
  const buffer = new Uint8Array(1024 * 1024);
  let at = 0;
  let progress: Promise<void> = Promise.resolve();
  const file = Deno.open(path);
  file.catch(() => {}); // seen by the first read
  const upTo = async (end: number) => {
    const handle = await file;
    while (at < end) {
      const n = await handle.read(buffer.subarray(0, Math.min(buffer.length, end - at)));
      if (n === null || n === 0) throw new Error(`${path} ends at byte ${at}`);
      hash.update(buffer.subarray(0, n));
      at += n;
    }
  };
  return {
    advance: (end) => {
      progress = progress.then(() => upTo(end));
      progress.catch(() => {});
    },
    digest: async () => {
      await progress;
      return hash.digest("base64");
    },
    close: () => void file.then((f) => f.close(), () => {}),
  };
}
