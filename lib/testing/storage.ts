/**
 * The local server's object storage: run files (and artifact files and manifests) handed out
 * under signed, expiring URLs, as W&B hands out bucket URLs. Like a bucket, it answers `Range`,
 * takes uploads by `PUT` to a signed upload URL, and refuses a request that carries credentials
 * (GCS answers 400 to a signed URL sent with an `Authorization` header): a client that leaks its
 * API key to storage fails its tests.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FileContent } from "./files/store.ts";
import { generatedBytes } from "./files/content.ts";

/** An object the storage serves. */
export interface StorageObject {
  readonly content: FileContent;
  readonly contentType: string;
}

/** Options of {@link objectStorage}. */
export interface ObjectStorageOptions {
  /**
   * How long a signed URL stays valid.
   * @default {3600}
   */
  readonly signedUrlTtlSeconds?: number | undefined;
}

/** What hands out signed URLs: storage itself, or its {@link ObjectStorage.stale} view. */
export type UrlIssuer = Pick<ObjectStorage, "signedUrl" | "uploadUrl">;

/** Signed download and upload URLs, and the route that serves them. */
export interface ObjectStorage {
  /** A signed GET URL of the object `key`. */
  signedUrl(key: string): string;
  /** A signed PUT URL that stores its body as the object `key`. */
  uploadUrl(key: string): string;
  /** Serves a storage request; `undefined` for other paths. */
  route(request: Request): Promise<Response> | undefined;
  /** The same storage handing out URLs that have expired already (the `staleUrls` fault). */
  readonly stale: UrlIssuer;
  /** Expires every URL signed so far: storage refuses them from now on, as it does late URLs. */
  expireAll(): void;
}

/**
 * Signs URLs and checks them, as a bucket's signed URLs work: an HMAC of the method, the object
 * and the expiry, with a secret made at start. Signatures carry a generation, so that a test can
 * expire every URL handed out so far ({@link UrlSigner.expireAll}) as an event, not by waiting.
 */
export class UrlSigner {
  private readonly secret = randomBytes(32);
  private generation = 0;

  constructor(private readonly ttlSeconds: number) {}

  private signature(subject: string, expires: number, generation: number): string {
    return createHmac("sha256", this.secret).update(`${subject}|${expires}|${generation}`)
      .digest("hex");
  }

  /** The query string of a URL for `subject` (`METHOD|key`), valid for the TTL (or `stale`). */
  sign(subject: string, stale = false): string {
    // At least the TTL whatever the second we are in (an expiry rounded down could leave ms).
    const expires = stale
      ? Math.floor(Date.now() / 1000) - 1
      : Math.ceil(Date.now() / 1000) + this.ttlSeconds;
    return `expires=${expires}&gen=${this.generation}&signature=${
      this.signature(subject, expires, this.generation)
    }`;
  }

  /** Why a URL for `subject` is refused (`403`'s text), or `undefined` when it is good. */
  refusal(subject: string, url: URL): string | undefined {
    const expires = Number(url.searchParams.get("expires"));
    const generation = Number(url.searchParams.get("gen"));
    const given = Buffer.from(url.searchParams.get("signature") ?? "", "hex");
    const expected = Buffer.from(this.signature(subject, expires, generation), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return "signature does not match";
    }
    if (expires < Date.now() / 1000 || generation < this.generation) return "signed URL expired";
    return undefined;
  }

  /** Expires every URL signed so far. */
  expireAll(): void {
    this.generation++;
  }
}

const downloadPrefix = "/_storage/objects/";
const uploadPrefix = "/_storage/upload/";
const rangePattern = /^bytes=(\d*)-(\d*)$/;

/**
 * Object storage for a server at `baseUrl`: `find` says what a key holds, `store` takes an
 * upload (returning `false` for a key that takes none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectStorage } from "@effect-wandb/api/testing";
 * const storage = objectStorage("http://127.0.0.1:1", {
 *   find: () => ({ content: { bytes: new Uint8Array([1]) }, contentType: "text/plain" }),
 *   store: () => false,
 * });
 * assert.ok(storage.signedUrl("a").startsWith("http://127.0.0.1:1/_storage/objects/a?"));
 * ```
 */
export function objectStorage(
  baseUrl: string,
  objects: {
    readonly find: (key: string) => StorageObject | undefined;
    readonly store: (key: string, bytes: Uint8Array<ArrayBuffer>) => boolean;
  },
  options?: ObjectStorageOptions,
): ObjectStorage {
  const signer = new UrlSigner(options?.signedUrlTtlSeconds ?? 3600);
  const signed = (prefix: string, method: string, key: string, stale = false) =>
    `${baseUrl}${prefix}${encodeURIComponent(key)}?${signer.sign(`${method}|${key}`, stale)}`;
  /** The refusal of a request that is not signed right, or `undefined` when it is. */
  const refusal = (request: Request, url: URL, key: string): Response | undefined => {
    if (request.headers.has("authorization")) {
      return new Response("storage takes a signed URL and no other credentials", { status: 400 });
    }
    const why = signer.refusal(`${request.method}|${key}`, url);
    return why === undefined ? undefined : new Response(why, { status: 403 });
  };
  return {
    signedUrl: (key) => signed(downloadPrefix, "GET", key),
    uploadUrl: (key) => signed(uploadPrefix, "PUT", key),
    stale: {
      signedUrl: (key) => signed(downloadPrefix, "GET", key, true),
      uploadUrl: (key) => signed(uploadPrefix, "PUT", key, true),
    },
    expireAll: () => signer.expireAll(),
    route: (request) => {
      const url = new URL(request.url);
      const prefix = url.pathname.startsWith(downloadPrefix)
        ? downloadPrefix
        : url.pathname.startsWith(uploadPrefix)
        ? uploadPrefix
        : undefined;
      if (prefix === undefined) return undefined;
      return (async () => {
        const key = decodeURIComponent(url.pathname.slice(prefix.length));
        const refused = refusal(request, url, key);
        if (refused !== undefined) return refused;
        if (prefix === uploadPrefix) {
          if (request.method !== "PUT") return new Response("use PUT", { status: 405 });
          const bytes = new Uint8Array(await request.arrayBuffer());
          return objects.store(key, bytes)
            ? new Response(null, { status: 200 })
            : new Response("no such upload", { status: 404 });
        }
        if (request.method !== "GET") return new Response("use GET", { status: 405 });
        const object = objects.find(key);
        if (object === undefined) return new Response("no such object", { status: 404 });
        return objectResponse(object, request.headers.get("range"));
      })();
    },
  };
}

/**
 * An object's answer, honouring a single-range `Range` header as buckets do: `206` with
 * `Content-Range`, `416` past the end, the whole object without one.
 */
export function objectResponse(object: StorageObject, range: string | null): Response {
  const size = "bytes" in object.content ? object.content.bytes.length : object.content.size;
  const headers = {
    "content-type": object.contentType,
    "accept-ranges": "bytes",
  };
  const body = (start: number, end: number) =>
    "bytes" in object.content
      ? object.content.bytes.subarray(start, end)
      : generatedBytes(object.content.seed, start, end);
  const match = range === null ? null : rangePattern.exec(range.trim());
  if (match === null || (match[1] === "" && match[2] === "")) {
    return new Response(body(0, size), {
      headers: { ...headers, "content-length": String(size) },
    });
  }
  let start: number;
  let last: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    last = size - 1;
  } else {
    start = Number(match[1]);
    last = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || last < start) {
    return new Response("range not satisfiable", {
      status: 416,
      headers: { "content-range": `bytes */${size}` },
    });
  }
  return new Response(body(start, last + 1), {
    status: 206,
    headers: {
      ...headers,
      "content-length": String(last + 1 - start),
      "content-range": `bytes ${start}-${last}/${size}`,
    },
  });
}
