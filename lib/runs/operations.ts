/**
 * Run operations: list (as a Stream), count and fetch.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import type { NotFoundError, RequestError } from "../core/errors.ts";
import { distinctBy, type Page, paginatePages, sizedPages } from "../core/pagination.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { allRunFields, type Run, type RunField, toRun } from "./decoders.ts";
import { runCountQuery, runQuery, runsQuery } from "./queries.ts";

/** Resolved options of a run listing. */
export interface ListRunsInput {
  /** The project. */
  readonly project: ProjectPath;
  /** Filters as a JSON string (`"{}"` for all). */
  readonly filters: string;
  /** Order key. */
  readonly order: string;
  /** Runs per request. */
  readonly perPage: number;
  /** Load config, summary, system metrics and history keys with each run. */
  readonly full: boolean;
  /** Load only these of them (`full` is then ignored). */
  readonly fields?: ReadonlyArray<RunField> | undefined;
  /**
   * The page size was not chosen by the caller: a listing that loads heavy fields may fetch
   * them concurrently ({@link listRuns}). A caller's `perPage` is kept to, page by page.
   */
  readonly adaptive?: boolean | undefined;
}

/**
 * Pages of runs, one `Runs` request per pull; each page carries the filtered total
 * (`totalCount`). See {@link listRuns} for ordering and duplicates.
 */
export function listRunsPages(
  client: WandbClient,
  input: ListRunsInput,
): Stream.Stream<Page<Run>, RequestError | NotFoundError> {
  const selected = input.fields ?? (input.full ? allRunFields : []);
  // Without a caller's size: light pages grow while fast; pages of heavy fields stay at the
  // official client's size (each run costs W&B ~20 ms). Both shrink on a 5xx or a timeout.
  const page = sizedPages(
    input.adaptive === true ? undefined : input.perPage,
    input.perPage,
    selected.length === 0 ? largestLightPage : input.perPage,
  );
  return paginatePages({
    operation: "Runs",
    fetchPage: (cursor) =>
      page((perPage) => runsQuery({ ...input, perPage, cursor }), client.execute).pipe(
        Effect.flatMap(({ project }) => {
          if (project === null) return Effect.fail(projectNotFound("Runs", input.project));
          const edges = project.runs.edges;
          return Effect.succeed({
            items: edges.map((edge) => toRun(input.project, edge.node, selected)),
            // The official client continues from the last edge's cursor, not endCursor.
            nextCursor: edges.length > 0
              ? edges[edges.length - 1]!.cursor
              : project.runs.pageInfo.endCursor,
            hasNextPage: project.runs.pageInfo.hasNextPage,
            totalCount: project.runCount,
          });
        }),
      ),
  });
}

/** Runs per request for the heavy fields of runs listed light (the official client's page). */
const fieldsBatch = 50;
/** Requests for heavy fields in flight at once: a SaaS project's quota takes this easily. */
const fieldsInFlight = 8;
/** The light pages' sizes: 200 runs first, twice more while pages come back fast. */
const firstLightPage = 200;
const largestLightPage = 1000;

/**
 * The rest of a listing after its first page, when it loads heavy fields and the caller left
 * the page size to us. W&B spends most of a full page's time on each run's config and summary
 * (~20 ms a run; see the local server's cost profile) and serves requests side by side, but a
 * page's cursor is only known once the page before it is read. So the runs' order is read from
 * light pages (cheap per run, growing while they come back fast), and their heavy fields are
 * fetched by name, `fieldsBatch` at a time, `fieldsInFlight` requests at once, in order.
 */
function concurrentRest(
  client: WandbClient,
  input: ListRunsInput,
  selected: ReadonlyArray<RunField>,
  cursor: string,
): Stream.Stream<Run, RequestError | NotFoundError> {
  const page = sizedPages(undefined, firstLightPage, largestLightPage);
  const light = paginatePages({
    operation: "Runs",
    start: cursor,
    fetchPage: (after) =>
      Effect.gen(function* () {
        const { project } = yield* page(
          (perPage) => runsQuery({ ...input, fields: [], perPage, cursor: after }),
          client.execute,
        );
        if (project === null) return yield* Effect.fail(projectNotFound("Runs", input.project));
        const edges = project.runs.edges;
        return {
          items: edges.map((edge) => edge.node.name),
          nextCursor: edges.length > 0 ? edges.at(-1)!.cursor : project.runs.pageInfo.endCursor,
          hasNextPage: project.runs.pageInfo.hasNextPage,
        };
      }),
  });
  const withFields = (names: ReadonlyArray<string>) =>
    client.execute(runsQuery({
      ...input,
      filters: JSON.stringify({ name: { $in: names } }),
      fields: selected,
      perPage: names.length,
      cursor: null,
    })).pipe(
      Effect.flatMap(({ project }) => {
        if (project === null) return Effect.fail(projectNotFound("Runs", input.project));
        const byName = new Map(
          project.runs.edges.map((e) => [e.node.name, toRun(input.project, e.node, selected)]),
        );
        // In the light pages' order; a run deleted in between is not there to list.
        return Effect.succeed(names.flatMap((name) => byName.get(name) ?? []));
      }),
    );
  return light.pipe(
    // The next light page is read while the fields of this one are fetched.
    Stream.buffer({ capacity: 1 }),
    Stream.flatMap((page) => {
      const batches: Array<ReadonlyArray<string>> = [];
      for (let i = 0; i < page.items.length; i += fieldsBatch) {
        batches.push(page.items.slice(i, i + fieldsBatch));
      }
      return Stream.fromIterable(batches);
    }),
    Stream.mapEffect(withFields, { concurrency: fieldsInFlight }),
    Stream.flatMap((runs) => Stream.fromIterable(runs)),
  );
}

/**
 * The runs of a project, in the requested order, each run id at most once.
 *
 * W&B pages runs by offset: runs created while a scan is under way shift later pages, so the
 * server can send a run twice (wandb/wandb#6614, #7666). This stream drops repeats by run id,
 * keeping only the ids; with the default order `+created_at`, new runs land after the ones
 * already read, so nothing is skipped either.
 *
 * A listing that loads heavy fields, without a page size of the caller's, reads its first page
 * as the official client does and, when more follow, the rest concurrently (see
 * `concurrentRest`): the same runs, in the same order.
 */
export function listRuns(
  client: WandbClient,
  input: ListRunsInput,
): Stream.Stream<Run, RequestError | NotFoundError> {
  const selected = input.fields ?? (input.full ? allRunFields : []);
  const pages = listRunsPages(client, input);
  if (input.adaptive !== true || selected.length === 0) {
    return distinctBy(
      pages.pipe(Stream.flatMap((page) => Stream.fromIterable(page.items))),
      (run) => run.id,
    );
  }
  const all = Stream.unwrap(
    Effect.map(Stream.runHead(Stream.take(pages, 1)), (first) => {
      if (first._tag === "None") return Stream.empty;
      const page = first.value;
      const head = Stream.fromIterable(page.items);
      return page.hasNextPage && page.nextCursor !== null
        ? Stream.concat(head, concurrentRest(client, input, selected, page.nextCursor))
        : head;
    }),
  );
  return distinctBy(all, (run) => run.id);
}

/** Counts the runs matching the filters (`project.runCount`). */
export function countRuns(
  client: WandbClient,
  project: ProjectPath,
  filters: string,
): Effect.Effect<number, RequestError | NotFoundError> {
  return client.execute(runCountQuery(project, filters)).pipe(
    Effect.flatMap((data) =>
      data.project === null
        ? Effect.fail(projectNotFound("RunCount", project))
        : Effect.succeed(data.project.runCount)
    ),
  );
}

/** Fetches one run with all its fields. */
export function getRun(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<Run, RequestError | NotFoundError> {
  return client.execute(runQuery(path)).pipe(
    Effect.flatMap((data) => {
      if (data.project === null) return Effect.fail(projectNotFound("Run", path));
      if (data.project.run === null) return Effect.fail(runNotFound("Run", path));
      return Effect.succeed(toRun(path, data.project.run));
    }),
  );
}
