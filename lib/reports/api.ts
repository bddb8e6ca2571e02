/**
 * The reports' slice of the `Api`: a project's reports, their specs decoded.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Report } from "./reports.ts";

/** Options of {@link ReportsApi.reports}. */
export interface ReportsOptions {
  /** Only the report of this name. */
  readonly name?: string | undefined;
  /**
   * Reports per request.
   * @default {50}
   */
  readonly perPage?: number | undefined;
}

/** The reports' methods of the `Api`. */
export interface ReportsApi {
  /**
   * A project's reports, their specs and sections decoded (Python's `api.reports(path, name,
   * per_page)`).
   */
  reports(project?: string, options?: ReportsOptions): Stream.Stream<Report, WandbError>;
}

const reports = loadOnce(() => import("./reports.ts"));

/** Builds the reports' slice. */
export function reportsApi(context: ApiContext): ReportsApi {
  const { client, paths } = context;
  return {
    reports: (project, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), reports), ([p, m]) =>
          m.listReports(client, p, options)),
      ),
  };
}
