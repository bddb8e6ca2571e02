/**
 * The `Api` service: the facade a Python user knows as `wandb.Api()`, composed of the slices
 * each resource folder owns (`lib/<resource>/api.ts`). This file only composes them: a new
 * resource adds one line to {@link ApiShape} and one to {@link makeApi}.
 *
 * Every method returns an `Effect` (one value) or a `Stream` (a collection, lazily paged), traced
 * by one rule: a span named `Api.<method>` around each call. A slice loads its resource's
 * modules the first time one of its methods runs. Paths take every form the Python client
 * accepts; missing entities and projects come from the config, then from the viewer's default
 * entity (one request, remembered for the life of the `Api`).
 *
 * @module
 */
import type * as Config from "effect/Config";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as Stream from "effect/Stream";
import type * as HttpClient from "effect/http/HttpClient";
import { type ApiConfig, type ApiOptions, makeApiConfig } from "../core/config.ts";
import { apiConfigFromEnv, apiOptionsConfig } from "../core/env.ts";
import { type ApiContext, makePaths } from "../core/context.ts";
import type { InvalidArgumentError, RuntimePermissionError, WandbError } from "../core/errors.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import { makeWandbClient, type WandbClient } from "../core/transport.ts";
import { type ArtifactsApi, artifactsApi } from "../artifacts/api.ts";
import { type FilesApi, filesApi } from "../files/api.ts";
import { type HistoryApi, historyApi } from "../history/api.ts";
import { type LaunchApi, launchApi } from "../launch/api.ts";
import { type ProjectsApi, projectsApi } from "../projects/api.ts";
import { type ReportsApi, reportsApi } from "../reports/api.ts";
import { type RunsApi, runsApi } from "../runs/api.ts";
import { type SweepsApi, sweepsApi } from "../sweeps/api.ts";
import { type TeamsApi, teamsApi } from "../teams/api.ts";
import { type UsersApi, usersApi } from "../users/api.ts";
import { askDefaultEntity, type ViewerApi, viewerApi } from "../viewer/api.ts";
import { type ConsoleApi, consoleApi } from "../console/api.ts";
import { type IntegrationsApi, integrationsApi } from "../integrations/api.ts";
import { type OrganizationsApi, organizationsApi } from "../organizations/api.ts";
import { type RegistriesApi, registriesApi } from "../registries/api.ts";
import { type AutomationsApi, automationsApi } from "../automations/api.ts";

/** What the `Api` holds besides its slices. */
export interface ApiCore {
  /** The resolved configuration (the key stays `Redacted`). */
  readonly config: ApiConfig;
  /** The underlying client, for the operation functions and custom queries. */
  readonly client: WandbClient;
  /** Resolves a project path against the defaults, without a request unless the entity is missing. */
  resolveProjectPath(path?: string): Effect.Effect<ProjectPath, WandbError>;
  /** Resolves a run path against the defaults. */
  resolveRunPath(path: string): Effect.Effect<RunPath, WandbError>;
}

/**
 * The `Api` service's methods: Python's names in camelCase, each slice's from its own folder
 * (see the README for the full map).
 */
export interface ApiShape
  extends
    ApiCore,
    ViewerApi,
    ProjectsApi,
    RunsApi,
    HistoryApi,
    FilesApi,
    ArtifactsApi,
    SweepsApi,
    ReportsApi,
    UsersApi,
    TeamsApi,
    LaunchApi,
    ConsoleApi,
    IntegrationsApi,
    OrganizationsApi,
    RegistriesApi,
    AutomationsApi {}

/** The slices, each built from the same context. */
const slices = (context: ApiContext) => ({
  ...viewerApi(context),
  ...projectsApi(context),
  ...runsApi(context),
  ...historyApi(context),
  ...filesApi(context),
  ...artifactsApi(context),
  ...sweepsApi(context),
  ...reportsApi(context),
  ...usersApi(context),
  ...teamsApi(context),
  ...launchApi(context),
  ...consoleApi(context),
  ...integrationsApi(context),
  ...organizationsApi(context),
  ...registriesApi(context),
  ...automationsApi(context),
});

/** The members of the `Api` that are not traced calls: its configuration and client. */
const untraced = new Set(["config", "client"]);

/**
 * One rule for every method: its Effect or Stream runs inside a span named `Api.<name>` (the
 * requests it makes are that span's children). An Effect member (`viewer`) is traced as is.
 */
function traced<T extends object>(members: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const span = `Api.${name}`;
    const trace = (value: unknown) =>
      Effect.isEffect(value)
        ? Effect.withSpan(value, span)
        : Stream.isStream(value)
        ? Stream.withSpan(value, span)
        : value;
    out[name] = untraced.has(name)
      ? member
      : typeof member === "function"
      ? (...args: Array<unknown>) => trace(member(...args))
      : trace(member);
  }
  return out as T;
}

/**
 * Builds the `Api` methods over a configuration and the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { makeApi, makeApiConfig } from "@effect-wandb/api";
 * const api = makeApiConfig({ apiKey: "secret" }).pipe(
 *   Effect.flatMap(makeApi),
 *   Effect.provide(FetchHttpClient.layer),
 * );
 * ```
 */
export function makeApi(config: ApiConfig): Effect.Effect<ApiShape, never, HttpClient.HttpClient> {
  return Effect.map(makeWandbClient(config), (client) => {
    const paths = makePaths(config, askDefaultEntity({ client }));
    const context: ApiContext = { config, client, paths };
    const core: ApiCore = {
      config,
      client,
      resolveProjectPath: paths.project,
      resolveRunPath: paths.run,
    };
    return traced({ ...core, ...slices(context) }) satisfies ApiShape;
  });
}

const ApiBase: Context.ServiceClass<Api, "effect-wandb/Api", ApiShape> = Context.Service<
  Api,
  ApiShape
>()("effect-wandb/Api");

/**
 * The W&B public API as an Effect service (Python's `wandb.Api()`).
 *
 * Provide it with {@link Api.layer} (options in code), {@link Api.layerConfig} (any `Config`)
 * or {@link Api.layerFromEnv} (`WANDB_*` variables, under a scoped `--allow-env`). The layers
 * need an `HttpClient`: `FetchHttpClient.layer` from `effect/http` is the usual choice.
 *
 * @example Listing finished runs
 * ```ts
 * import { Effect, Layer, Stream } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { Api, runField } from "@effect-wandb/api";
 *
 * const program = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.runs("acme/mnist", { filters: runField.state.eq("finished") }).pipe(
 *     Stream.take(10),
 *     Stream.runCollect,
 *   );
 * });
 * const live = Api.layer({ apiKey: "…" }).pipe(Layer.provide(FetchHttpClient.layer));
 * // Effect.runPromise(program.pipe(Effect.provide(live)));
 * ```
 */
export class Api extends ApiBase {
  /** A layer from options given in code. */
  static layer(options: ApiOptions): Layer.Layer<Api, InvalidArgumentError, HttpClient.HttpClient> {
    return Layer.effect(Api, Effect.flatMap(makeApiConfig(options), makeApi));
  }

  /** A layer from an Effect `Config` of options (by default {@link apiOptionsConfig}). */
  static layerConfig(
    config: Config.Config<ApiOptions> = apiOptionsConfig,
  ): Layer.Layer<Api, Config.ConfigError | InvalidArgumentError, HttpClient.HttpClient> {
    return Layer.effect(
      Api,
      Effect.gen(function* () {
        const options = yield* config;
        return yield* makeApi(yield* makeApiConfig(options));
      }),
    );
  }

  /**
   * A layer from the `WANDB_*` environment variables, read one by one so that a scoped
   * `--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT`
   * is enough.
   */
  static readonly layerFromEnv: Layer.Layer<
    Api,
    Config.ConfigError | InvalidArgumentError | RuntimePermissionError,
    HttpClient.HttpClient
  > = Layer.effect(Api, Effect.flatMap(apiConfigFromEnv, makeApi));
}
