/**
 * The \`WANDB_*\` environment variables as configuration: an Effect \`Config\` of them, providers
 * that read exactly those names (Deno scopes \`--allow-env\` per name), and the \`ApiConfig\` they
 * make. Kept apart from \`config.ts\`: Effect's \`Config\` costs ~2 MB at load, which a program
 * that gives its options in code never pays.
 *
 * @module
 */
import * as Config from "effect/Config";
import * as ConfigProvider from "effect/ConfigProvider";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import { type InvalidArgumentError, RuntimePermissionError } from "./errors.ts";
import { permissionDenied } from "./_permissions.ts";
import { type ApiConfig, type ApiOptions, defaultBaseUrl, makeApiConfig } from "./config.ts";

/** The environment variables {@link apiOptionsFromEnv} reads, and nothing else. */
export const wandbEnvVars: ReadonlyArray<string> = [
  "WANDB_API_KEY",
  "WANDB_BASE_URL",
  "WANDB_ENTITY",
  "WANDB_PROJECT",
  "WANDB_HTTP_TIMEOUT",
];

/** {@link apiOptionsConfig}, once built. */
let wandbVariables: Config.Config<ApiOptions> | undefined;

/**
 * The `WANDB_*` variables as an Effect `Config`, for use with any `ConfigProvider`.
 *
 * Reads `WANDB_API_KEY` (required), `WANDB_BASE_URL`, `WANDB_ENTITY`, `WANDB_PROJECT` and
 * `WANDB_HTTP_TIMEOUT` (seconds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigProvider, Effect } from "effect";
 * import { apiOptionsConfig } from "@effect-wandb/api";
 * const options = Effect.runSync(
 *   apiOptionsConfig.parse(ConfigProvider.fromUnknown({ WANDB_API_KEY: "k", WANDB_ENTITY: "acme" })),
 * );
 * assert.ok(options.entity === "acme");
 * ```
 */
export const apiOptionsConfig: Config.Config<ApiOptions> = Config.flatMap(
  // Built when first parsed: a Config of five variables costs ~2 MB at load, a program that
  // gives its options in code pays nothing for it.
  Config.succeed(undefined),
  () =>
    wandbVariables ??= Config.all({
      apiKey: Config.Redacted("WANDB_API_KEY"),
      baseUrl: Config.String("WANDB_BASE_URL").pipe(Config.withDefault(defaultBaseUrl)),
      entity: Config.option(Config.String("WANDB_ENTITY")),
      project: Config.option(Config.String("WANDB_PROJECT")),
      timeout: Config.option(Config.Number("WANDB_HTTP_TIMEOUT")),
    }).pipe(
      Config.map(({ apiKey, baseUrl, entity, project, timeout }): ApiOptions => ({
        apiKey,
        baseUrl,
        entity: Option.getOrUndefined(entity),
        project: Option.getOrUndefined(project),
        timeout: Option.match(timeout, {
          onNone: () => undefined,
          onSome: (seconds) => Duration.millis(Math.round(seconds * 1000)),
        }),
      })),
    ),
);

/**
 * A `ConfigProvider` over exactly the variables `names`, read one by one with `Deno.env.get`.
 *
 * Effect's default provider enumerates the whole environment, which fails under a scoped
 * `--allow-env=…`; this one asks only for the names it is given. A variable the process may not
 * read counts as unset (use {@link checkedEnvVarsProvider} to be told instead).
 *
 * @example
 * ```ts
 * import { envVarsProvider } from "@effect-wandb/api";
 * const provider = envVarsProvider(["NO_COLOR", "TERM"]);
 * ```
 */
export function envVarsProvider(names: ReadonlyArray<string>): ConfigProvider.ConfigProvider {
  return ConfigProvider.fromEnvRecord(readEnvVars(names).values);
}

/** The variables `names` as the process may read them, and those Deno refused. */
function readEnvVars(names: ReadonlyArray<string>) {
  const values: Record<string, string | undefined> = {};
  const denied: Array<string> = [];
  for (const name of names) {
    try {
      values[name] = Deno.env.get(name);
    } catch (error) {
      if (permissionDenied("read environment", error, { permission: "env", target: name })) {
        denied.push(name);
      }
      values[name] = undefined;
    }
  }
  return { values, denied };
}

/**
 * {@link envVarsProvider}, failing with a {@link RuntimePermissionError} naming the flag when
 * Deno refuses any of the variables (a `WANDB_BASE_URL` the process may not read would otherwise
 * send it to W&B's cloud).
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { checkedEnvVarsProvider } from "@effect-wandb/api";
 * const provider = checkedEnvVarsProvider(["WANDB_API_KEY"]);
 * ```
 */
export function checkedEnvVarsProvider(
  names: ReadonlyArray<string>,
): Effect.Effect<ConfigProvider.ConfigProvider, RuntimePermissionError> {
  return Effect.suspend(() => {
    const { values, denied } = readEnvVars(names);
    if (denied.length === 0) return Effect.succeed(ConfigProvider.fromEnvRecord(values));
    const flag = `--allow-env=${names.join(",")}`;
    return Effect.fail(
      new RuntimePermissionError({
        operation: "read environment",
        permission: "env",
        target: denied.join(","),
        flag,
        message: `Deno denied reading ${denied.join(", ")}: run with ${flag}`,
      }),
    );
  });
}

/**
 * A `ConfigProvider` over exactly the `WANDB_*` variables ({@link wandbEnvVars}): see
 * {@link envVarsProvider}.
 *
 * @example
 * ```ts
 * import { wandbEnvProvider } from "@effect-wandb/api";
 * const provider = wandbEnvProvider();
 * ```
 */
export function wandbEnvProvider(): ConfigProvider.ConfigProvider {
  return envVarsProvider(wandbEnvVars);
}

/**
 * Reads {@link apiOptionsConfig} from the process environment (the `WANDB_*` variables, one by
 * one) and validates it; a variable Deno refuses is a {@link RuntimePermissionError} naming the
 * `--allow-env` flag.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { apiConfigFromEnv } from "@effect-wandb/api";
 * const program = apiConfigFromEnv.pipe(Effect.map((c) => c.baseUrl));
 * ```
 */
export const apiConfigFromEnv: Effect.Effect<
  ApiConfig,
  Config.ConfigError | InvalidArgumentError | RuntimePermissionError
> = apiOptionsFromEnv(wandbEnvVars).pipe(Effect.flatMap(makeApiConfig));

/** {@link apiOptionsConfig} read from the variables `names` (all of `WANDB_*` and any others). */
export function apiOptionsFromEnv(
  names: ReadonlyArray<string> = wandbEnvVars,
): Effect.Effect<ApiOptions, Config.ConfigError | RuntimePermissionError> {
  return Effect.flatMap(
    checkedEnvVarsProvider(names),
    (provider) => apiOptionsConfig.parse(provider),
  );
}
