/**
 * Fault injection for the local server: answers W&B gives when it is unwell (5xx, 429 with a
 * retry header, dropped connections, cut-off bodies, delays), random failure rates for fault
 * matrices, a token-bucket rate limit, faults of object storage, and the answers of servers that
 * are not W&B at all or are hostile: endless bodies, lying `Content-Length`s, HTML error pages,
 * garbage, redirects and connections reset mid-answer. The server asks this module what to do
 * with each request before it answers it.
 *
 * @module
 */
import { prng } from "./seed.ts";

/** Faults match the next request of their `operationName`, or any request without one. */
interface Targeted {
  /** Only the next request of this GraphQL operation. */
  readonly operationName?: string | undefined;
}

/** A fault the server applies to the next matching GraphQL request (see `injectFaults`). */
export type Fault =
  | (Targeted & {
    /** Answer with this HTTP status (429, 5xx, 401, 403, …). */
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>> | undefined;
    readonly body?: string | undefined;
    /**
     * Send the body in pieces of this many bytes, without a Content-Length, as a streaming
     * server does.
     */
    readonly chunkBytes?: number | undefined;
  })
  | (Targeted & {
    /** `drop`: the connection fails mid-answer; `truncate`: a 200 whose JSON is cut off. */
    readonly kind: "drop" | "truncate";
  })
  | (Targeted & {
    /** Wait `ms` before answering normally. */
    readonly kind: "delay";
    readonly ms: number;
  })
  | (Targeted & {
    /**
     * Answer normally, but with signed URLs that have expired already, as if the answer had
     * waited an hour on the way: storage refuses them (`403`), and a client must ask again.
     */
    readonly kind: "staleUrls";
  })
  | (Targeted & {
    /**
     * A body that never ends, sent as fast as the client reads (`status`, 200 by default),
     * declaring `declaredLength` bytes in its `Content-Length` (a lie, either way) when given.
     * The bytes sent are counted in `hostileBytesSent`.
     */
    readonly kind: "endless";
    readonly status?: number | undefined;
    readonly declaredLength?: number | undefined;
  })
  | (Targeted & {
    /** The real answer, with the connection reset after `afterBytes` of its body. */
    readonly kind: "reset";
    readonly afterBytes: number;
  })
  | (Targeted & {
    /** An HTML error page, as a proxy (`502`), a load balancer or a login portal (`200`) sends. */
    readonly kind: "html";
    readonly status: number;
  })
  | (Targeted & {
    /** A 200 of bytes that are no text format at all. */
    readonly kind: "garbage";
  })
  | (Targeted & {
    /** A redirect to `location` (HTTP `status`, 307 by default). */
    readonly kind: "redirect";
    readonly location: string;
    readonly status?: 301 | 302 | 303 | 307 | 308 | undefined;
  });

/** A fault of the object storage, applied to the next storage request. */
export type StorageFault =
  | {
    /** The body stops (the connection breaks) after this many bytes. */
    readonly kind: "cut";
    readonly afterBytes: number;
  }
  | {
    /** Answer with this status instead. */
    readonly kind: "status";
    readonly status: number;
    /** Headers of that answer (a 429's `Retry-After`). */
    readonly headers?: Readonly<Record<string, string>> | undefined;
  }
  | {
    /** Send the whole object, as a server that does not do ranges (a proxy) does. */
    readonly kind: "ignoreRange";
  };

/** Random failures, reproducible from `seed`. */
export interface FailureRates {
  /** Probability of an HTTP 500. */
  readonly serverError?: number | undefined;
  /** Probability of a dropped connection. */
  readonly drop?: number | undefined;
  /** Probability of an HTTP 429 carrying `RateLimit-Reset: resetSeconds`. */
  readonly rateLimited?: number | undefined;
  /**
   * The `RateLimit-Reset` of those 429s, in seconds.
   * @default {1}
   */
  readonly resetSeconds?: number | undefined;
  /** Probability of a 200 whose JSON body is cut off halfway. */
  readonly truncate?: number | undefined;
  readonly seed?: number | undefined;
}

/** A token-bucket rate limit: beyond it, HTTP 429 with a retry header. */
export interface RateLimit {
  readonly requestsPerSecond: number;
  /** @default {"Retry-After"} */
  readonly header?: "Retry-After" | "RateLimit-Reset" | undefined;
}

/** What a random roll decided for one request. */
export type RolledFailure = "serverError" | "drop" | "rateLimited" | "truncate" | undefined;

/** A JSON answer. */
export const json = (status: number, body: unknown, headers?: Record<string, string>): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** A body sent `size` bytes at a time (HTTP chunked encoding: no Content-Length). */
export function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** A body whose stream fails: the client sees the connection break mid-answer. */
export function droppedResponse(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.error(new Error("connection dropped by the local server"));
      },
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );
}

/** A body that breaks, as a dropped connection does, after `bytes` bytes. */
export function cutAfter(
  body: ReadableStream<Uint8Array>,
  bytes: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) return controller.close();
      const room = bytes - sent;
      if (next.value.length >= room) {
        if (room > 0) controller.enqueue(next.value.subarray(0, room));
        await reader.cancel();
        controller.error(new Error("connection reset (injected)"));
        return;
      }
      sent += next.value.length;
      controller.enqueue(next.value);
    },
    cancel: () => reader.cancel(),
  });
}

/** An HTML page as nginx or a cloud load balancer sends for `status`. */
export function htmlPage(status: number): Response {
  const title = status === 200
    ? "Sign in"
    : `${status} ${status === 502 ? "Bad Gateway" : "Error"}`;
  const page =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center>\n${
      "<!-- padding -->\n".repeat(32)
    }</body></html>\n`;
  return new Response(page, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** The faults queued for the next requests, and the random ones, of one server. */
export class FaultInjector {
  private readonly faults: Array<Fault> = [];
  private readonly storageFaults: Array<StorageFault> = [];
  private readonly random: () => number;
  private tokens: number;
  private refilledAt = performance.now();
  /** Bytes the hostile bodies (`endless`) sent before their clients stopped reading. */
  hostileBytesSent = 0;

  constructor(
    private readonly rates: FailureRates | undefined,
    private readonly rate: RateLimit | undefined,
  ) {
    this.random = prng(rates?.seed ?? 7);
    this.tokens = rate?.requestsPerSecond ?? 0;
  }

  /** Queues faults; each applies to the next request matching its `operationName` (or any). */
  inject(...faults: ReadonlyArray<Fault>): void {
    this.faults.push(...faults);
  }

  /** Queues storage faults; each applies to the next storage request. */
  injectStorage(...faults: ReadonlyArray<StorageFault>): void {
    this.storageFaults.push(...faults);
  }

  /** Drops the queued faults that no request has met yet. */
  clear(): void {
    this.faults.length = 0;
    this.storageFaults.length = 0;
  }

  /** The fault for a GraphQL request of `operationName`, taken off the queue. */
  takeFault(operationName: string | null): Fault | undefined {
    const index = this.faults.findIndex((f) =>
      f.operationName === undefined || f.operationName === operationName
    );
    return index < 0 ? undefined : this.faults.splice(index, 1)[0];
  }

  /** The fault for the next storage request, taken off the queue. */
  takeStorageFault(): StorageFault | undefined {
    return this.storageFaults.shift();
  }

  /** The seconds to ask a client to wait when the rate limit is spent, or `undefined`. */
  rateLimited(): number | undefined {
    const rate = this.rate;
    if (rate === undefined) return undefined;
    const now = performance.now();
    this.tokens = Math.min(
      rate.requestsPerSecond,
      this.tokens + ((now - this.refilledAt) / 1000) * rate.requestsPerSecond,
    );
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / rate.requestsPerSecond));
  }

  /** The header a rate-limited answer carries its wait in. */
  get rateLimitHeader(): string {
    return this.rate?.header ?? "Retry-After";
  }

  /** One roll per request, split into bands, so that the rates add up as documented. */
  roll(): RolledFailure {
    if (this.rates === undefined) return undefined;
    const { serverError = 0, drop = 0, rateLimited = 0, truncate = 0 } = this.rates;
    const roll = this.random();
    if (roll < serverError) return "serverError";
    if (roll < serverError + drop) return "drop";
    if (roll < serverError + drop + rateLimited) return "rateLimited";
    if (roll < serverError + drop + rateLimited + truncate) return "truncate";
    return undefined;
  }

  /** The answer to a rolled failure other than `truncate` (which cuts the real answer). */
  rolledAnswer(failure: "serverError" | "drop" | "rateLimited"): Response {
    switch (failure) {
      case "serverError":
        return json(500, { errors: [{ message: "internal error" }] });
      case "drop":
        return droppedResponse();
      case "rateLimited":
        return json(429, { errors: [{ message: "rate limit exceeded" }] }, {
          "RateLimit-Reset": String(this.rates?.resetSeconds ?? 1),
        });
    }
  }

  /**
   * The answer a fault gives instead of the server's, or `undefined` for faults that change
   * the real answer (`truncate`, `reset`) or only delay it.
   */
  faultAnswer(fault: Fault): Response | undefined {
    if ("status" in fault && !("kind" in fault)) {
      const text = fault.body ??
        JSON.stringify({ errors: [{ message: `injected HTTP ${fault.status}` }] });
      return new Response(
        fault.chunkBytes === undefined ? text : chunked(text, fault.chunkBytes),
        { status: fault.status, headers: { "content-type": "application/json", ...fault.headers } },
      );
    }
    switch (fault.kind) {
      case "drop":
        return droppedResponse();
      case "endless":
        return this.endless(fault.status ?? 200, fault.declaredLength);
      case "html":
        return htmlPage(fault.status);
      case "garbage":
        return new Response(garbageBytes(), {
          status: 200,
          headers: { "content-type": "application/octet-stream" },
        });
      case "redirect":
        return new Response(null, {
          status: fault.status ?? 307,
          headers: { location: fault.location },
        });
      default:
        return undefined;
    }
  }

  /** The real answer changed by a fault that cuts it (`truncate`, `reset`), or as it was. */
  changeAnswer(fault: Fault | undefined, text: string, headers: HeadersInit): Response | undefined {
    if (fault === undefined || !("kind" in fault)) return undefined;
    if (fault.kind === "truncate") {
      return new Response(text.slice(0, Math.floor(text.length / 2)), { headers });
    }
    if (fault.kind === "reset") {
      const whole = new Response(text).body!;
      return new Response(cutAfter(whole, fault.afterBytes), { headers });
    }
    return undefined;
  }

  /** An endless body of JSON-looking bytes, counted in {@link hostileBytesSent}. */
  private endless(status: number, declaredLength: number | undefined): Response {
    const chunk = new TextEncoder().encode(`{"data":${" ".repeat(64 * 1024 - 8)}`);
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        this.hostileBytesSent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return new Response(body, {
      status,
      headers: {
        "content-type": "application/json",
        ...(declaredLength === undefined ? {} : { "content-length": String(declaredLength) }),
      },
    });
  }
}

/** Bytes that are no text: what a misconfigured proxy or a binary endpoint sends. */
function garbageBytes(): Uint8Array<ArrayBuffer> {
  const random = prng(3);
  return Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
}
