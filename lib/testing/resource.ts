/**
 * What a resource of the local server is made of, and what its resolvers see of a request.
 *
 * Each folder of `lib/testing/` (users, projects, runs, history, files, artifacts, …) exports
 * one {@link ServerResource}: its tables, its part of the schema, its root fields and the
 * fields it adds to users, entities, projects and runs, its part of the seed, and the objects
 * it keeps in storage. `resources.ts` lists them, one line each; the store, the schema, the
 * resolvers, the seed and the server are composed from that list, so a new resource touches
 * its own folder and that line.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { EmulatorStore } from "./store.ts";
import type { StorageObject, UrlIssuer } from "./storage.ts";
import type { StoredUser } from "./users/store.ts";
import type { StoredProject } from "./projects/store.ts";
import type { StoredRun } from "./runs/store.ts";
import type { HistoryRow } from "./history/store.ts";
import type { CoreSeed } from "./seed.ts";
import type { ServerProfile } from "./server_versions.ts";

/**
 * Thrown by a resolver for what W&B answers with an HTTP status rather than a GraphQL error (a
 * name taken is 409, an automation that is not there to change is 404): the server answers that
 * status with the message as a GraphQL error.
 */
export class StatusError extends Error {
  /** Names the error for logs. */
  override readonly name: string = "StatusError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Thrown by a resolver when the viewer may not read an entity: the server answers HTTP 403. */
export class ForbiddenError extends StatusError {
  /** Names the error for logs. */
  override readonly name = "ForbiddenError";
  constructor(message: string) {
    super(403, message);
  }
}

/** Parquet history export, plugged in by the server (see `lib/testing/history/parquet.ts`). */
export interface ParquetHistoryProvider {
  /** The signed URLs of a run's exported history and the rows not exported yet. */
  parquetHistory(
    run: StoredRun,
    liveKeys: ReadonlyArray<string>,
  ): Promise<{ parquetUrls: ReadonlyArray<string>; liveData: ReadonlyArray<HistoryRow> }>;
}

/** What the server knows of a request before resolving it. */
export interface RequestContext {
  readonly store: EmulatorStore;
  /** The authenticated user. */
  readonly viewer: StoredUser;
  /** Parquet export, when the server offers it. */
  readonly parquet: ParquetHistoryProvider | undefined;
  /**
   * A list field's value given as its finished JSON text: what the resolver returns in its
   * place is swapped for that text when the answer is written. Stored history pages are
   * already JSON; parsing them into strings for graphql-js to hand back for escaping again
   * cost more than the rest of a page's request.
   */
  readonly rawJson: (listJson: string) => ReadonlyArray<string>;
  /** The storage that signs the URLs of files and artifacts. */
  readonly storage: UrlIssuer;
  /** The server's base URL, for the authenticated `url` of a file. */
  readonly baseUrl: string;
  /** The W&B Server release the server acts as: its version and features. */
  readonly profile: ServerProfile;
}

/** What every resolver sees: the request, the views of the core types, and access checks. */
export interface ResolverContext extends RequestContext {
  /** The `User` view of a user. */
  readonly userView: (user: StoredUser) => Fields;
  /** The `Entity` view of an entity, or `null` when there is none. */
  readonly entityView: (name: string) => Fields | null;
  /** The `Project` view of a project. */
  readonly projectView: (project: StoredProject) => Fields;
  /** The `Run` view of a run. */
  readonly runView: (run: StoredRun) => Fields;
  /**
   * Whether the entity exists; throws {@link ForbiddenError} (HTTP 403) when it does and the
   * viewer is not one of its members.
   */
  readonly canRead: (entity: string) => boolean;
  /** Throws the server's refusal when the viewer may not use the entity. */
  readonly checkEntity: (entity: string) => void;
  /** Whether the viewer may see a project (no resource hides it from them). */
  readonly projectVisible: (project: StoredProject) => boolean;
  /** The refusal of a call the viewer may not make (HTTP 403). */
  readonly forbid: (message: string) => never;
}

/** The fields of an object as graphql-js resolves them: values, or functions of the arguments. */
export type Fields = Record<string, unknown>;

/** A root `Query` or `Mutation` field. */
export type RootField = (args: never, ctx: ResolverContext) => unknown;

/**
 * A resource of the local server. Every part is optional; the server composes them in the
 * order of `resources.ts`.
 */
export interface ServerResource<Store = never, SeedItem = never> {
  /**
   * Opens its part of the store: creates its tables (and triggers that drop its rows of a
   * deleted run) and returns its store, given the stores of the resources listed before it.
   */
  readonly open?: ((db: DatabaseSync, opened: EmulatorStore) => Store) | undefined;
  /** Its part of the SDL: its types, and `extend type` for what it adds to others. */
  readonly sdl?: string | undefined;
  /**
   * Fields W&B keeps for its own clients (`Type.field`): a request reading one under a
   * User-Agent W&B does not recognize is refused whole ("relogin required", wandb/wandb#12009).
   */
  readonly firstPartyFields?: ReadonlyArray<string> | undefined;
  /**
   * What older releases lack: per server feature, the schema coordinates it brings (`Type`,
   * `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Union.Member`), removed from the schema of
   * a release without it.
   */
  readonly gated?: Readonly<Record<string, ReadonlyArray<string>>> | undefined;
  /** The root `Query` and `Mutation` fields it answers. */
  readonly rootFields?: Readonly<Record<string, RootField>> | undefined;
  /** The fields it adds to a `User`. */
  readonly userFields?: ((ctx: ResolverContext, user: StoredUser) => Fields) | undefined;
  /** The fields it adds to an `Entity` (one that exists). */
  readonly entityFields?: ((ctx: ResolverContext, entity: string) => Fields) | undefined;
  /** The fields it adds to a `Project`. */
  readonly projectFields?: ((ctx: ResolverContext, project: StoredProject) => Fields) | undefined;
  /** Whether the viewer may not see a project at all (a restricted registry, say). */
  readonly hidesProject?: ((ctx: ResolverContext, project: StoredProject) => boolean) | undefined;
  /** The fields it adds to a `Run`. */
  readonly runFields?: ((ctx: ResolverContext, run: StoredRun) => Fields) | undefined;
  /** Its part of a generated seed, made from the seeded users, projects and runs. */
  readonly seed?: ((core: CoreSeed) => ReadonlyArray<SeedItem>) | undefined;
  /** Writes its part of a seed into the store (after the resources listed before it). */
  readonly load?:
    | ((store: EmulatorStore, core: CoreSeed, items: ReadonlyArray<SeedItem>) => void)
    | undefined;
  /** The objects it keeps in storage, by the first segment of their key (`file/12`). */
  readonly storageObjects?:
    | Readonly<
      Record<
        string,
        (store: EmulatorStore, key: ReadonlyArray<string>) => StorageObject | undefined
      >
    >
    | undefined;
  /** Takes an upload to storage under its key kind; says whether the key was its to take. */
  readonly uploads?:
    | Readonly<
      Record<
        string,
        (
          store: EmulatorStore,
          key: ReadonlyArray<string>,
          bytes: Uint8Array<ArrayBuffer>,
        ) => boolean
      >
    >
    | undefined;
  /** Answers a plain HTTP request of the API origin (not GraphQL), or leaves it. */
  readonly route?:
    | ((request: Request, server: ServerRouteContext) => Response | undefined)
    | undefined;
}

/** What a resource's HTTP route sees of the server. */
export interface ServerRouteContext {
  readonly store: EmulatorStore;
  readonly storage: UrlIssuer;
  /** The user an API key in the request belongs to. */
  readonly viewerOf: (request: Request) => StoredUser | undefined;
}

/** An empty connection: what a list field answers when there is nothing to list. */
export const emptyPageInfo: {
  readonly startCursor: null;
  readonly endCursor: null;
  readonly hasNextPage: false;
  readonly hasPreviousPage: false;
} = { startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false };

/** The paging arguments of a connection field. */
export interface PageArgs {
  readonly after?: string | null;
  readonly first?: number | null;
}
