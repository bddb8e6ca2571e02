/**
 * The `export` command's input, checked before any request: every mistake a user can make on
 * the command line is one clear line and exit code 2, not an empty export, a request that fails
 * later, or a silent default.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Option from "effect/Option";
import { encodeFilters, type RunFilter } from "../core/filters.ts";
import { parseProjectPath } from "../core/paths.ts";
import { permissionDenied } from "../core/_permissions.ts";

/** Bad usage found after parsing (a filter that is not JSON, `--sync` with CSV, …): exit 2. */
export class UsageError extends Error {
  /** Discriminant. */
  readonly _tag = "UsageError" as const;
}

/** A comma-separated list of some of `allowed`. */
export function listOf<A extends string>(
  flag: string,
  text: string,
  allowed: ReadonlyArray<A>,
): Array<A> {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const wrong = items.filter((s) => !(allowed as ReadonlyArray<string>).includes(s));
  if (items.length === 0 || wrong.length > 0) {
    throw new UsageError(
      `--${flag} takes a comma-separated list of ${allowed.join(", ")}${
        wrong.length > 0 ? `, not ${wrong.join(", ")}` : ""
      }`,
    );
  }
  return [...new Set(items)] as Array<A>;
}

/** `--keys`: history keys, comma-separated, at least one. */
export function keysOf(text: Option.Option<string>): ReadonlyArray<string> | undefined {
  if (Option.isNone(text)) return undefined;
  const keys = text.value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (keys.length === 0) {
    throw new UsageError("--keys takes history keys, comma-separated (e.g. loss,val/acc)");
  }
  return [...new Set(keys)];
}

/** The project paths, each once, each `entity/project` (or `project`, under the default entity). */
export function projectsOf(paths: ReadonlyArray<string>): ReadonlyArray<string> {
  const projects: Array<string> = [];
  for (const path of paths) {
    const text = path.trim();
    if (text === "") {
      throw new UsageError("A project path is empty: name it as entity/project");
    }
    const parsed = Effect.runSyncExit(parseProjectPath(text));
    if (Exit.isFailure(parsed)) {
      throw new UsageError(
        `'${path}' is not a project path: expected entity/project (names of letters, digits, ` +
          "'-', '_' and '.')",
      );
    }
    if (!projects.includes(text)) projects.push(text);
  }
  return projects;
}

const isoInstant =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `--since`: an ISO 8601 date or instant (`2026-12-01`, `2026-12-01T12:00Z`,
 * `2026-12-01T14:00:00+02:00`; UTC unless it names an offset), as the UTC instant sent to W&B.
 */
export function sinceOf(text: Option.Option<string>): string | undefined {
  if (Option.isNone(text)) return undefined;
  const value = text.value.trim();
  const match = isoInstant.exec(value);
  const bad = () =>
    new UsageError(
      `--since takes an ISO 8601 date or time (2026-12-01, 2026-12-01T12:00Z, ` +
        `2026-12-01T14:00:00+02:00), not '${text.value}'`,
    );
  if (match === null) throw bad();
  const [, year, month, day, hour, minute, second, offset] = match;
  // A day the month has (Date would roll 2026-02-30 over to March), and a time of day.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day) ||
    Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59
  ) {
    throw bad();
  }
  // `+0530` as `+05:30`, which every Date parser reads.
  const normal = value.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const millis = Date.parse(
    hour === undefined
      ? `${normal.slice(0, 10)}T00:00:00Z`
      : offset === undefined
      ? `${normal}Z`
      : normal,
  );
  if (Number.isNaN(millis)) throw bad();
  return new Date(millis).toISOString();
}

/** `--filter`: a JSON object of W&B's run filter, checked as the library checks it. */
export function filterOf(text: Option.Option<string>): RunFilter | undefined {
  if (Option.isNone(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.value);
  } catch (e) {
    throw new UsageError(`--filter is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError('--filter must be a JSON object, e.g. \'{"state":"finished"}\'');
  }
  const checked = Effect.runSyncExit(encodeFilters(value as RunFilter));
  if (Exit.isFailure(checked)) {
    const reason = checked.cause.reasons.find((r) => r._tag === "Fail");
    throw new UsageError(
      `--filter: ${reason?._tag === "Fail" ? reason.error.message : "not a W&B run filter"}`,
    );
  }
  return value as RunFilter;
}

/**
 * Makes `dir` (and its parents) and checks that files can be written there; says which
 * directories it made, so that an export that writes nothing can take them away again.
 */
export async function prepareOut(dir: string): Promise<ReadonlyArray<string>> {
  // The directories that are not there yet, deepest first: the ones this export makes. (A
  // directory the program may not even look at counts as there.)
  const made: Array<string> = [];
  for (let path = dir.replace(/\/+$/, ""); path !== "" && path !== "." && path !== "/";) {
    const exists = await Deno.stat(path).then(
      () => true,
      (e) => !(e instanceof Deno.errors.NotFound),
    );
    if (exists) break;
    made.push(path);
    const parent = path.lastIndexOf("/");
    path = parent <= 0 ? "" : path.slice(0, parent);
  }
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.effect-wandb-${crypto.randomUUID()}.probe`;
    await Deno.writeFile(probe, new Uint8Array(), { createNew: true });
    await Deno.remove(probe);
  } catch (e) {
    await removeEmpty(made);
    const denied = permissionDenied("write", e, { permission: "write", target: dir });
    throw new UsageError(
      `--out: cannot write to ${dir}: ${
        denied?.message ?? (e instanceof Error ? e.message : String(e))
      }`,
    );
  }
  return made;
}

/** Removes the directories of `dirs` that are empty, deepest first. */
export async function removeEmpty(dirs: ReadonlyArray<string>): Promise<void> {
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      await Deno.remove(dir);
    } catch {
      // Not empty (or gone): kept.
    }
  }
}
