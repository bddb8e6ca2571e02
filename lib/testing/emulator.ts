/**
 * The W&B-compatible local server: the project's W&B SDL executed with graphql-js over real
 * HTTP on 127.0.0.1 (`Deno.serve`), backed by SQLite, with fault injection.
 *
 * What it answers like the real server: Basic auth (`api:<key>`; unknown key → HTTP 401),
 * another user's entity → HTTP 403, a missing resource → `null`, a bad filter → GraphQL
 * `errors` in a 200, a rate limit → HTTP 429 with `{"error":"rate limit exceeded"}` and
 * `Retry-After` or `RateLimit-Reset`, offset-cursor run paging, JSON-string fields.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLSchema,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from "graphql";
import {
  type ParquetExportOptions,
  type ParquetExports,
  parquetExports,
} from "./history/parquet.ts";
import { resolverContext, rootResolvers } from "./resolvers.ts";
import { type ServerResource, StatusError } from "./resource.ts";
import { serverProfile, type ServerVersion } from "./server_versions.ts";
import { type LiveRun, type LiveRunOptions, startLiveRun } from "./runs/live.ts";
import { serverResources } from "./resources.ts";
import { buildWandbSchema } from "./schema/mod.ts";
import { emptySeed, generateSeed, prng, type SeedData, type SeedOptions } from "./seed.ts";
import {
  cutAfter,
  type FailureRates,
  type Fault,
  FaultInjector,
  json,
  type RateLimit,
  type StorageFault,
} from "./faults.ts";

export type { Fault, StorageFault } from "./faults.ts";
import { EmulatorStore } from "./store.ts";
import { type ObjectStorage, objectStorage, type ObjectStorageOptions } from "./storage.ts";

import { printWandbJson } from "../core/wandb_json.ts";
import {
  type CostProfile,
  historyRowsIn,
  ProjectQuota,
  runCostMicros,
  throttledBody,
} from "./cost_profile.ts";

/** The operations whose answers carry runs, charged per run under a cost profile. */
const runOperations = new Set(["Runs", "Run", "RunsBatch"]);

const resources = Object.values(serverResources) as ReadonlyArray<
  ServerResource<unknown, unknown>
>;

/** One request the server saw. The API key is never recorded. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The GraphQL operation name, or `null` (anonymous operation, or not GraphQL). */
  readonly operationName: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
  /** The status answered (0 for a dropped connection). */
  readonly status: number;
  /** When the request arrived (`performance.now()` of the server's process). */
  readonly receivedAt: number;
  readonly userAgent: string | null;
  /** Whether the request carried a valid key. */
  readonly authorized: boolean;
  /** Whether the request carried an `Authorization` header at all (storage must see none). */
  readonly credentials: boolean;
  /** The `Range` header, if any. */
  readonly range: string | null;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /**
   * The API's port on 127.0.0.1; 0 picks a free one.
   * @default {0}
   */
  readonly port?: number | undefined;
  /**
   * Object storage's port on 127.0.0.1 (signed URLs answer there, as W&B's buckets are on
   * another host than its API); 0 picks a free one.
   * @default {0}
   */
  readonly storagePort?: number | undefined;
  /** SQLite file; in memory when absent. */
  readonly storagePath?: string | undefined;
  /**
   * Seed data options, or `false` for a server with only the default user.
   * @default {{}}
   */
  readonly seed?: SeedOptions | false | undefined;
  /** Latency added to every request, in milliseconds. */
  readonly latencyMs?: number | undefined;
  /**
   * Count the storage answers whose bodies are still being sent, for
   * {@link Emulator.storagePeakInFlight} (off by default: it wraps each body).
   */
  readonly countStorageInFlight?: boolean | undefined;
  /**
   * What W&B's SaaS charges a client (round trips with jitter, server time per history row, a
   * per-project quota with `RateLimit-*` headers, object storage's first byte and bandwidth):
   * `saasCostProfile` is W&B's. Replaces `latencyMs`.
   */
  readonly costProfile?: CostProfile | undefined;
  /**
   * The W&B Server release to act as: its schema lacks what later releases brought, and its
   * `serverInfo` lists only its features (see `server_versions.ts`).
   * @default {"latest"}
   */
  readonly serverVersion?: ServerVersion | undefined;
  /** A token-bucket rate limit: beyond it, HTTP 429 with a retry header. */
  readonly rateLimit?: RateLimit | undefined;
  /** Random failures, reproducible from `seed`. */
  readonly failureRate?: FailureRates | undefined;
  /**
   * Parquet history exports under signed URLs (W&B's `parquetHistory`), or `false` for a server
   * without them (clients then page history with GraphQL).
   * @default {{}}
   */
  readonly parquet?: ParquetExportOptions | false | undefined;
  /** Object storage of run files and artifacts (signed URLs). */
  readonly storage?: ObjectStorageOptions | undefined;
  /** Live runs started with the server (`liveRunPresets` has four), stopped when it closes. */
  readonly liveRuns?: ReadonlyArray<LiveRunOptions> | undefined;
}

/** What the Parquet exports see of the server. */
export interface EmulatorHandle {
  /** The API: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Object storage (signed URLs, Parquet exports), on a port of its own. */
  readonly storageUrl: string;
  /** The storage. */
  readonly store: EmulatorStore;
}

/** A running local server. */
export interface Emulator extends EmulatorHandle {
  /** A valid API key: the default user's (`alice` when seeded). */
  readonly apiKey: string;
  /** The seed data the server was loaded with (empty lists when unseeded). */
  readonly seed: SeedData;
  /** The W&B Server release it acts as (`latest`: SaaS). */
  readonly serverVersion: ServerVersion;
  /** Every request so far, oldest first. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  /**
   * The most storage answers sent at once since the last {@link Emulator.resetRequests}: the
   * connections a client held (counted with `countStorageInFlight` only; 0 otherwise).
   */
  readonly storagePeakInFlight: number;
  /**
   * Bytes the hostile bodies (fault `endless`) sent before their clients stopped reading: what
   * a client read of an answer it refused (less what the sockets held).
   */
  readonly hostileBytesSent: number;
  /** Forgets the recorded requests (and the peak of storage answers in flight). */
  resetRequests(): void;
  /** Queues faults; each applies to the next request matching its `operationName` (or any). */
  injectFaults(...faults: ReadonlyArray<Fault>): void;
  /** Queues storage faults; each applies to the next storage (`/_storage/`) request. */
  injectStorageFaults(...faults: ReadonlyArray<StorageFault>): void;
  /**
   * Expires every signed URL handed out so far (storage and Parquet exports): storage refuses
   * them from now on with `403 signed URL expired`, as it refuses URLs older than their TTL.
   */
  expireSignedUrls(): void;
  /** Drops the queued faults that no request has met yet (GraphQL and storage). */
  clearFaults(): void;
  /**
   * Starts a run that logs rows and heartbeats while the server runs, then ends as asked; it is
   * stopped when the server closes.
   */
  startLiveRun(options?: LiveRunOptions): LiveRun;
  /** The live runs started so far. */
  readonly liveRuns: ReadonlyArray<LiveRun>;
  /** Stops the server and closes the storage. */
  close(): Promise<void>;
}

const operationPattern = /^(?:\s+|#[^\n]*(?:\n|$))*(mutation|query)\s+(\w+)\s*[({@]/;

/** The operation name of a GraphQL document, as W&B's own test spy reads it. */
export function operationNameOf(query: string): string | null {
  return operationPattern.exec(query)?.[2] ?? null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The User-Agents W&B recognizes as its own public-API clients. */
const recognizedClient = /^W&B (Public|Internal) Client /;

const firstPartyFields = new Set(
  Object.values(serverResources).flatMap((r) =>
    (r as ServerResource<unknown, unknown>).firstPartyFields ?? []
  ),
);

/** The first field of `document` W&B keeps for its own clients, if it reads one. */
function firstPartyFieldIn(schema: GraphQLSchema, document: DocumentNode): string | undefined {
  if (firstPartyFields.size === 0) return undefined;
  const types = new TypeInfo(schema);
  let found: string | undefined;
  visit(
    document,
    visitWithTypeInfo(types, {
      Field(node) {
        const parent = types.getParentType();
        const coordinate = `${parent?.name}.${node.name.value}`;
        if (found === undefined && firstPartyFields.has(coordinate)) found = coordinate;
      },
    }),
  );
  return found;
}

function apiKeyOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const [scheme, value] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() !== "basic" || value === undefined) return undefined;
  try {
    const decoded = atob(value);
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  } catch {
    return undefined;
  }
}

/**
 * Starts a local W&B server on 127.0.0.1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startEmulator } from "@effect-wandb/api/testing";
 * const server = await startEmulator();
 * const response = await fetch(`${server.url}/graphql`, {
 *   method: "POST",
 *   headers: { authorization: `Basic ${btoa(`api:${server.apiKey}`)}` },
 *   body: JSON.stringify({ query: "{ viewer { username } }" }),
 * });
 * assert.deepEqual(await response.json(), { data: { viewer: { username: "alice" } } });
 * await server.close();
 * ```
 */
export function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const store = EmulatorStore.open(options?.storagePath);
  const seed: SeedData = options?.seed === false ? emptySeed() : generateSeed(options?.seed);
  if (options?.seed === false) {
    store.users.create(
      { username: "alice", name: "Alice Archer", email: "alice@example.com", admin: true },
      "a".repeat(40),
    );
    store.users.createEntity("alice", false, ["alice"]);
  } else if (store.users.byName("alice") === undefined) {
    store.load(seed);
  }
  const apiKey = seed.users[0]?.apiKey ?? "a".repeat(40);
  const release = serverProfile(options?.serverVersion);
  const schema = buildWandbSchema(release.version);
  // Clients send the same few documents over and over: parse and validate each once.
  const documents = new Map<string, DocumentNode | ReadonlyArray<GraphQLError>>();
  const prepare = (source: string): DocumentNode | ReadonlyArray<GraphQLError> => {
    let prepared = documents.get(source);
    if (prepared === undefined) {
      try {
        const document = parse(source);
        const errors = validate(schema, document);
        prepared = errors.length > 0 ? errors : document;
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        prepared = [error];
      }
      if (documents.size >= 1_000) documents.delete(documents.keys().next().value!);
      documents.set(source, prepared);
    }
    return prepared;
  };
  const requests: Array<RecordedRequest> = [];
  const liveRuns: Array<LiveRun> = [];
  const faults = new FaultInjector(options?.failureRate, options?.rateLimit);
  const inFlight = { now: 0, peak: 0 };
  const profile = options?.costProfile;
  const jitter = prng(11);
  const quota = profile?.projectQuota === undefined
    ? undefined
    : new ProjectQuota(profile.projectQuota);
  let handle: EmulatorHandle;
  let exports: ParquetExports | undefined;
  let storage: ObjectStorage;

  const handleGraphql = async (
    request: Request,
    record: (
      r: Omit<
        RecordedRequest,
        "method" | "path" | "userAgent" | "credentials" | "range" | "receivedAt"
      >,
    ) => void,
  ): Promise<Response> => {
    let body: { query?: unknown; variables?: unknown };
    try {
      body = await request.json();
    } catch {
      record({ operationName: null, variables: {}, status: 400, authorized: false });
      return json(400, { errors: [{ message: "the body must be JSON" }] });
    }
    const query = typeof body.query === "string" ? body.query : "";
    const variables =
      (typeof body.variables === "object" && body.variables !== null
        ? body.variables
        : {}) as Record<string, unknown>;
    const operationName = operationNameOf(query);
    const key = apiKeyOf(request);
    const viewer = key === undefined ? undefined : store.users.byKey(key);
    const done = (status: number, response: Response) => {
      record({ operationName, variables, status, authorized: viewer !== undefined });
      return response;
    };

    const fault = faults.takeFault(operationName);
    if (fault !== undefined) {
      const answer = faults.faultAnswer(fault);
      if (answer !== undefined) {
        return done("kind" in fault && fault.kind === "drop" ? 0 : answer.status, answer);
      }
      if ("kind" in fault && fault.kind === "delay") await sleep(fault.ms);
    }
    const wait = faults.rateLimited();
    if (wait !== undefined) {
      return done(
        429,
        json(429, { error: "rate limit exceeded" }, { [faults.rateLimitHeader]: String(wait) }),
      );
    }
    let cut = fault;
    const rolled = faults.roll();
    if (rolled === "truncate") cut = { kind: "truncate" };
    else if (rolled !== undefined) {
      return done(
        rolled === "drop" ? 0 : rolled === "rateLimited" ? 429 : 500,
        faults.rolledAnswer(rolled),
      );
    }
    if (viewer === undefined) {
      return done(401, json(401, { errors: [{ message: "user is not logged in" }] }));
    }
    // The project's quota, as W&B's rate limits count: per project (or per entity, for calls
    // that name none).
    const quotaAnswer = quota?.take(
      `${variables.entity ?? variables.entityName ?? viewer.username}/${
        variables.project ?? variables.projectName ?? ""
      }`,
    );
    if (quotaAnswer !== undefined && !quotaAnswer.allowed) {
      return done(
        429,
        json(429, { errors: [{ message: "rate limit exceeded" }] }, quotaAnswer.headers),
      );
    }
    const staleUrls = fault !== undefined && "kind" in fault && fault.kind === "staleUrls";
    const document = prepare(query);
    // W&B's gate on first-party fields (wandb/wandb#12009): the whole request is refused.
    if ("kind" in document && !recognizedClient.test(request.headers.get("user-agent") ?? "")) {
      const field = firstPartyFieldIn(schema, document);
      if (field !== undefined) {
        return done(200, json(200, { data: null, errors: [{ message: "relogin required" }] }));
      }
    }
    // Lists resolved as finished JSON text: a token stands in for each until the answer is
    // written (see ResolverContext.rawJson).
    const rawLists = new Map<string, string>();
    const rawJson = (listJson: string): ReadonlyArray<string> => {
      const token = `\u0000raw-json-${rawLists.size}`;
      rawLists.set(`[${JSON.stringify(token)}]`, listJson);
      return [token];
    };
    const answerText = (payload: unknown): string => {
      // JSON values (sampledHistory's rows) keep W&B's tokens for NaN and ±Infinity.
      let text = printWandbJson(payload, "token");
      for (const [placeholder, listJson] of rawLists) {
        text = text.replace(placeholder, () => listJson);
      }
      return text;
    };
    const result = "kind" in document
      ? await execute({
        schema,
        document,
        rootValue: rootResolvers,
        contextValue: resolverContext({
          store,
          viewer,
          parquet: staleUrls ? exports?.staleProvider : exports?.provider,
          rawJson,
          storage: staleUrls ? storage.stale : storage,
          baseUrl: handle.url,
          profile: release,
        }),
        variableValues: variables,
      })
      : { errors: document, data: undefined };
    const refused = result.errors?.find((e) => e.originalError instanceof StatusError);
    if (refused !== undefined) {
      const status = (refused.originalError as StatusError).status;
      return done(status, json(status, { errors: [{ message: refused.message }] }));
    }
    const payload = result.errors === undefined
      ? { data: result.data }
      : { data: result.data ?? null, errors: result.errors.map((e: GraphQLError) => e.toJSON()) };
    const text = answerText(payload);
    const changed = faults.changeAnswer(cut, text, { "content-type": "application/json" });
    if (changed !== undefined) return done(200, changed);
    if (profile !== undefined) {
      // Server time for the history rows served: what makes GraphQL history slow on SaaS.
      const rows = historyRowsIn(text);
      // And for the runs served, by the fields each carries (runs queries only: other answers
      // have a `config` of their own).
      const runs = profile.runMicros !== undefined && operationName !== null &&
          runOperations.has(operationName)
        ? runCostMicros(text, profile.runMicros)
        : 0;
      const micros = rows * profile.historyRowMicros + runs;
      if (micros > 0) await sleep(micros / 1000);
    }
    return done(
      200,
      new Response(text, {
        status: 200,
        headers: { "content-type": "application/json", ...quotaAnswer?.headers },
      }),
    );
  };

  const viewerOf = (request: Request) => {
    const key = apiKeyOf(request);
    return key === undefined ? undefined : store.users.byKey(key);
  };
  const resourceRoute = (request: Request): Response | undefined => {
    for (const resource of resources) {
      const answer = resource.route?.(request, { store, storage, viewerOf });
      if (answer !== undefined) return answer;
    }
    return undefined;
  };

  const abort = new AbortController();
  return new Promise((resolve) => {
    const handler = async (request: Request): Promise<Response> => {
      const path = new URL(request.url).pathname;
      const userAgent = request.headers.get("user-agent");
      const credentials = request.headers.has("authorization");
      const range = request.headers.get("range");
      const receivedAt = performance.now();
      const record = (
        r: Omit<
          RecordedRequest,
          "method" | "path" | "userAgent" | "credentials" | "range" | "receivedAt"
        >,
      ) =>
        requests.push({
          method: request.method,
          path,
          userAgent,
          credentials,
          range,
          receivedAt,
          ...r,
        });
      if (profile !== undefined) {
        await sleep(Math.max(0, profile.latencyMs + (jitter() * 2 - 1) * profile.jitterMs));
      } else if (options?.latencyMs !== undefined && options.latencyMs > 0) {
        await sleep(options.latencyMs);
      }
      const storageFault = path.startsWith("/_storage/") ? faults.takeStorageFault() : undefined;
      if (storageFault?.kind === "status") {
        record({
          operationName: null,
          variables: {},
          status: storageFault.status,
          authorized: false,
        });
        return new Response(`injected HTTP ${storageFault.status}`, {
          status: storageFault.status,
          headers: storageFault.headers,
        });
      }
      if (storageFault?.kind === "ignoreRange") {
        const headers = new Headers(request.headers);
        headers.delete("range");
        // A new GET rather than a copy of the request: copying reads its abort signal.
        request = new Request(request.url, { method: request.method, headers });
      }
      let extra = exports?.route(request) ?? await storage.route(request) ??
        resourceRoute(request);
      if (storageFault?.kind === "cut" && extra !== undefined && extra.body !== null) {
        extra = new Response(cutAfter(extra.body, storageFault.afterBytes), {
          status: extra.status,
          headers: extra.headers,
        });
      }
      if (extra !== undefined && profile !== undefined && extra.body !== null) {
        extra = new Response(throttledBody(extra.body, profile.storage), {
          status: extra.status,
          headers: extra.headers,
        });
      }
      if (extra !== undefined && options?.countStorageInFlight === true && extra.body !== null) {
        extra = new Response(countedBody(extra.body, inFlight), {
          status: extra.status,
          headers: extra.headers,
        });
      }
      if (extra !== undefined) {
        record({ operationName: null, variables: {}, status: extra.status, authorized: false });
        return extra;
      }
      if (path === "/graphql" && request.method === "POST") return handleGraphql(request, record);
      record({ operationName: null, variables: {}, status: 404, authorized: false });
      return json(404, { errors: [{ message: `no route ${request.method} ${path}` }] });
    };
    const listen = (port: number) =>
      Deno.serve(
        { hostname: "127.0.0.1", port, signal: abort.signal, onListen: () => {} },
        handler,
      );
    const server = listen(options?.port ?? 0);
    // Object storage answers on an origin of its own, as W&B's buckets do: a client that sent
    // the API key along to a signed URL would be refused (see `storage.ts`).
    const storageServer = listen(options?.storagePort ?? 0);
    handle = {
      url: `http://127.0.0.1:${server.addr.port}`,
      storageUrl: `http://127.0.0.1:${storageServer.addr.port}`,
      store,
    };
    storage = objectStorage(handle.storageUrl, {
      find: (key) => {
        const [kind = "", ...rest] = key.split("/");
        for (const resource of resources) {
          const find = resource.storageObjects?.[kind];
          if (find !== undefined) return find(store, rest);
        }
        return undefined;
      },
      store: (key, bytes) => {
        const [kind = "", ...rest] = key.split("/");
        for (const resource of resources) {
          const take = resource.uploads?.[kind];
          if (take !== undefined) return take(store, rest, bytes);
        }
        return false;
      },
    }, options?.storage);
    exports = options?.parquet === false ? undefined : parquetExports(handle, options?.parquet);
    for (const live of options?.liveRuns ?? []) liveRuns.push(startLiveRun(store, live));
    resolve({
      url: handle.url,
      storageUrl: handle.storageUrl,
      store,
      apiKey,
      seed,
      serverVersion: release.version,
      get requests() {
        return requests;
      },
      get storagePeakInFlight() {
        return inFlight.peak;
      },
      resetRequests: () => {
        requests.length = 0;
        inFlight.peak = inFlight.now;
      },
      get hostileBytesSent() {
        return faults.hostileBytesSent;
      },
      injectFaults: (...added) => faults.inject(...added),
      expireSignedUrls: () => {
        storage.expireAll();
        exports?.expireAll();
      },
      injectStorageFaults: (...added) => faults.injectStorage(...added),
      clearFaults: () => faults.clear(),
      startLiveRun: (live) => {
        const started = startLiveRun(store, live);
        liveRuns.push(started);
        return started;
      },
      liveRuns,
      close: async () => {
        for (const live of liveRuns) live.stop();
        abort.abort();
        await Promise.all([server.finished, storageServer.finished]);
        store.close();
      },
    });
  });
}

/** `body`, counted in `count` from now until it is sent whole, broken or cancelled. */
function countedBody(
  body: ReadableStream<Uint8Array>,
  count: { now: number; peak: number },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  count.peak = Math.max(count.peak, ++count.now);
  let open = true;
  const done = () => {
    if (open) count.now--;
    open = false;
  };
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (!next.done) return controller.enqueue(next.value);
        done();
        controller.close();
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel: (reason) => {
      done();
      return reader.cancel(reason);
    },
  });
}

/**
 * Starts a local server for the life of the current scope.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { makeEmulator } from "@effect-wandb/api/testing";
 * const url = await Effect.runPromise(Effect.scoped(Effect.map(makeEmulator(), (s) => s.url)));
 * ```
 */
export function makeEmulator(
  options?: EmulatorOptions,
): Effect.Effect<Emulator, never, Scope.Scope> {
  return Effect.acquireRelease(
    Effect.promise(() => startEmulator(options)),
    (server) => Effect.promise(() => server.close()),
  );
}
