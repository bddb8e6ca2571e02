/**
 * The seeded console logs: each run's `output.log` line by line, as W&B captured it, and on a
 * run that crashed or failed, the traceback it wrote to stderr.
 *
 * @module
 */
import type { CoreSeed } from "../seed.ts";
import type { NewLogLine } from "./store.ts";

/** A seeded run's console log. */
export interface SeedConsoleLog {
  readonly entity: string;
  readonly project: string;
  readonly run: string;
  readonly lines: ReadonlyArray<NewLogLine>;
}

/** The console logs of the seeded runs that have an `output.log`. */
export function seedConsoleLogs(core: CoreSeed): Array<SeedConsoleLog> {
  return core.runs.flatMap((run) => {
    const log = run.files.find((f) => f.name === "output.log")?.text;
    if (log === undefined) return [];
    const started = Date.parse(run.createdAt);
    const at = (i: number) => new Date(started + i * 30_000).toISOString();
    const out = log.trimEnd().split("\n").map((line, i): NewLogLine => ({
      timestamp: at(i),
      level: "",
      label: "",
      line,
    }));
    const err = run.state === "crashed" || run.state === "failed"
      ? [
        "Traceback (most recent call last):",
        '  File "train.py", line 88, in <module>',
        "RuntimeError: CUDA out of memory.",
      ].map((line, i): NewLogLine => ({
        timestamp: at(out.length + i),
        level: "error",
        label: "",
        line,
      }))
      : [];
    return [{ entity: run.entity, project: run.project, run: run.name, lines: [...out, ...err] }];
  });
}
