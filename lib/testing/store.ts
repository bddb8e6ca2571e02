/**
 * The local server's storage: SQLite (`node:sqlite`), in memory by default or in a file,
 * composed of one store per resource (`store.users`, `store.runs`, `store.history`,
 * `store.artifacts`, …), each owning its tables.
 *
 * The GraphQL resolvers and the test-facing methods go through the same stores, so what a
 * test writes is exactly what the server serves.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import type { ServerResource } from "./resource.ts";
import { serverResources } from "./resources.ts";
import type { SeedData } from "./seed.ts";
import { inTransaction } from "./sqlite.ts";

type Resources = typeof serverResources;

/** The store of each resource, by the resource's name. */
export type ResourceStores = {
  readonly [K in keyof Resources as StoreOf<Resources[K]> extends never ? never : K]: StoreOf<
    Resources[K]
  >;
};

type StoreOf<R> = R extends ServerResource<infer Store, infer _Item> ? Store : never;

/**
 * Storage of the local server. Tests reach it as `server.store`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.users.create({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * store.users.createEntity("u", false, ["u"]);
 * store.projects.create("u", "p");
 * store.runs.insert("u", "p", { name: "r1", config: { lr: 0.1 } });
 * assert.ok(store.runs.list("u", "p").length === 1);
 * store.close();
 * ```
 */
export type EmulatorStore = ResourceStores & {
  /** Loads seed data: each resource its part, in one transaction. */
  load(seed: SeedData): void;
  /** Closes the database. */
  close(): void;
};

/**
 * Opens the local server's storage: in memory, or in the SQLite file at `path` (which keeps
 * what an earlier server wrote there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * assert.ok(store.users.list().length === 0);
 * store.close();
 * ```
 */
export const EmulatorStore: { readonly open: (path?: string) => EmulatorStore } = {
  open: (path) => {
    const db = new DatabaseSync(path ?? ":memory:");
    db.exec("PRAGMA journal_mode = MEMORY;");
    const resources = Object.entries(serverResources) as Array<
      [string, ServerResource<unknown, unknown>]
    >;
    const store = {
      load: (seed: SeedData) =>
        inTransaction(db, () => {
          for (const [name, resource] of resources) {
            const items = (seed as unknown as Record<string, ReadonlyArray<unknown>>)[name] ?? [];
            resource.load?.(store, seed, items);
          }
        }),
      close: () => db.close(),
    } as Record<string, unknown> as unknown as EmulatorStore;
    // Each resource opens after those listed before it, which it may build on.
    for (const [name, resource] of resources) {
      if (resource.open !== undefined) {
        (store as unknown as Record<string, unknown>)[name] = resource.open(db, store);
      }
    }
    return store;
  },
};
