/**
 * Deno's permission refusals as a {@link RuntimePermissionError}: what was refused and the flag
 * that grants it, read from the refusal itself (`Requires write access to "out", run again with
 * the --allow-write flag`).
 *
 * @module
 */
import { type DenoPermission, RuntimePermissionError } from "./errors.ts";

const refusalPattern = /Requires (net|env|read|write) access to "([^"]*)"/;

/** Whether `error` (or an error it was caused by) is a Deno permission refusal. */
function refusalIn(error: unknown): Error | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (
      current instanceof Deno.errors.NotCapable || current instanceof Deno.errors.PermissionDenied
    ) {
      return current as Error;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The {@link RuntimePermissionError} of `error` when Deno refused a permission, else
 * `undefined`. `fallback` names what was asked for when the refusal does not say.
 */
export function permissionDenied(
  operation: string,
  error: unknown,
  fallback: { readonly permission: DenoPermission; readonly target: string },
): RuntimePermissionError | undefined {
  const refusal = refusalIn(error);
  if (refusal === undefined) return undefined;
  const named = refusalPattern.exec(refusal.message);
  // An OS-level refusal (EACCES) is a PermissionDenied too, but no flag grants it.
  if (named === null && refusal instanceof Deno.errors.PermissionDenied) return undefined;
  const permission = (named?.[1] as DenoPermission | undefined) ?? fallback.permission;
  const target = named?.[2] ?? fallback.target;
  const flag = `--allow-${permission}=${target}`;
  const what = permission === "net"
    ? "network access to"
    : permission === "env"
    ? "reading the environment variable"
    : `${permission} access to`;
  return new RuntimePermissionError({
    operation,
    permission,
    target,
    flag,
    message: `Deno denied ${what} ${target}: run with ${flag}`,
  });
}
