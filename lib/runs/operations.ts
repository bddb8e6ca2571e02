/**
 * Run operations: list (as a Stream), count and fetch.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import type { NotFoundError, RequestError } from "../core/errors.ts";
import { distinctBy, type Page, paginatePages } from "../core/pagination.ts";
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
  return paginatePages({
    operation: "Runs",
    fetchPage: (cursor) =>
      client.execute(runsQuery({ ...input, cursor })).pipe(
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

/**
 * The runs of a project, in the requested order, each run id at most once.
 *
 * W&B pages runs by offset: runs created while a scan is under way shift later pages, so the
 * server can send a run twice (wandb/wandb#6614, #7666). This stream drops repeats by run id,
 * keeping only the ids; with the default order `+created_at`, new runs land after the ones
 * already read, so nothing is skipped either.
 */
export function listRuns(
  client: WandbClient,
  input: ListRunsInput,
): Stream.Stream<Run, RequestError | NotFoundError> {
  return distinctBy(
    listRunsPages(client, input).pipe(Stream.flatMap((page) => Stream.fromIterable(page.items))),
    (run) => run.id,
  );
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
