/**
 * Reports: a project’s reports, their specs decoded into sections, panels and run sets.
 *
 * Everything here is also reachable through the `Api` (its `ReportsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { ReportsApi } from "@effect-wandb/api/reports";
 * type Methods = keyof ReportsApi;
 * ```
 *
 * @module
 */
export { type ReportsApi, reportsApi, type ReportsOptions } from "./api.ts";
export { listReports, type Report, type ReportSection, toReport } from "./reports.ts";
