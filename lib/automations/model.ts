/**
 * What an automation is, as data: the scope it watches, the event that fires it and the action
 * it takes, each a tagged value checked against a Schema before any request (a bad one is an
 * `InvalidArgumentError` naming the field). `wire.ts` encodes them as the official client does
 * and decodes what the server saved.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import { InvalidArgumentError } from "../core/errors.ts";
import { issuePath } from "../core/_graphql_execution.ts";
import type { RunFilter } from "../core/filters.ts";

/** What an automation watches: a project (or a registry), an artifact collection, a team or org. */
export type AutomationScope =
  | { readonly _tag: "ProjectScope"; readonly id: string; readonly name: string }
  | { readonly _tag: "ArtifactCollectionScope"; readonly id: string; readonly name: string }
  | { readonly _tag: "EntityScope"; readonly id: string; readonly name: string };

/** Something that happens to artifacts in a scope. */
export type ArtifactEventType =
  | "createArtifact"
  | "linkArtifact"
  | "unlinkArtifact"
  | "addArtifactAlias"
  | "addArtifactTag"
  | "removeArtifactTag"
  | "addCollectionTag"
  | "removeCollectionTag";

/** How a metric's recent values are combined before they are compared. */
export type MetricAggregation = "max" | "min" | "average";

/** Which way a metric moves. */
export type MetricDirection = "increase" | "decrease" | "any";

/** What a run's metric must do for a run metric event. */
export type MetricCondition =
  /** The metric (or its aggregation over the last `window` values) compared to a threshold. */
  | {
    readonly _tag: "MetricThreshold";
    readonly metric: string;
    readonly agg?: MetricAggregation | undefined;
    /** @default {1} */
    readonly window?: number | undefined;
    readonly op: ">" | ">=" | "<" | "<=";
    readonly threshold: number;
  }
  /** The metric changed by `amount` (absolute, or relative: 0.1 is 10%) between two windows. */
  | {
    readonly _tag: "MetricChange";
    readonly metric: string;
    readonly agg?: MetricAggregation | undefined;
    /** @default {1} */
    readonly window?: number | undefined;
    /** The earlier window compared against; the same size as `window` when absent. */
    readonly priorWindow?: number | undefined;
    readonly change: "absolute" | "relative";
    readonly amount: number;
    /** @default {"any"} */
    readonly direction?: MetricDirection | undefined;
  }
  /** The metric's z-score over `window` values passed `threshold` standard deviations. */
  | {
    readonly _tag: "MetricZScore";
    readonly metric: string;
    /** @default {30} */
    readonly window?: number | undefined;
    /** @default {3} */
    readonly threshold?: number | undefined;
    /** @default {"any"} */
    readonly direction?: MetricDirection | undefined;
  };

/** A run state an automation can watch for (`crashed` is W&B's `failed`). */
export type RunStateName = "running" | "finished" | "failed" | "crashed";

/** The event that fires an automation, in its scope. */
export type AutomationEvent =
  /** Something happened to an artifact; `filter` over `alias` and `tag` narrows it. */
  | {
    readonly _tag: "ArtifactEvent";
    readonly on: ArtifactEventType;
    readonly scope: AutomationScope;
    readonly filter?: RunFilter | undefined;
  }
  /** A run (matching `runs`, a run filter) logged a metric meeting `condition`. */
  | {
    readonly _tag: "RunMetricEvent";
    readonly scope: AutomationScope;
    readonly runs?: RunFilter | undefined;
    readonly condition: MetricCondition;
  }
  /** A run (matching `runs`) reached one of `states`. */
  | {
    readonly _tag: "RunStateEvent";
    readonly scope: AutomationScope;
    readonly runs?: RunFilter | undefined;
    readonly states: ReadonlyArray<RunStateName>;
  }
  /** A saved event this client does not model: its type and filter as the server sent them. */
  | {
    readonly _tag: "UnknownEvent";
    readonly scope: AutomationScope | null;
    readonly eventType: string;
    readonly filter: string;
  };

/** The severity of a Slack notification. */
export type NotificationSeverity = "INFO" | "WARN" | "ERROR";

/** What an automation does when its event fires. */
export type AutomationAction =
  /** Posts to a Slack integration (`api.slackIntegrations()`). */
  | {
    readonly _tag: "SendNotification";
    readonly integrationId: string;
    readonly title?: string | undefined;
    readonly message?: string | undefined;
    /** @default {"INFO"} */
    readonly severity?: NotificationSeverity | undefined;
  }
  /** Calls a webhook integration (`api.webhookIntegrations()`) with a JSON payload. */
  | {
    readonly _tag: "SendWebhook";
    readonly integrationId: string;
    /** The body, with W&B's `${…}` template variables. */
    readonly payload?: Readonly<Record<string, unknown>> | undefined;
  }
  /** Does nothing (to test an event, or keep an automation without effect). */
  | { readonly _tag: "DoNothing" }
  /** A saved action this client does not model (a Launch job, ARIA): its type. */
  | { readonly _tag: "UnknownAction"; readonly actionType: string };

/** An automation as saved (Python's `Automation`). */
export interface Automation {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly event: AutomationEvent;
  readonly action: AutomationAction;
}

/** An automation to create (Python's `event >> action` with a name). */
export interface NewAutomation {
  /** Unique in its scope's entity; 1 to 255 characters. */
  readonly name: string;
  readonly description?: string | undefined;
  /** @default {true} */
  readonly enabled?: boolean | undefined;
  readonly event: AutomationEvent;
  readonly action: AutomationAction;
}

// ---- checking ----------------------------------------------------------------------------

const NonEmpty = Schema.String.pipe(Schema.check(Schema.isNonEmpty()));
const PositiveInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0)));
const Positive = Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0)));
const Filter = Schema.Record(Schema.String, Schema.Unknown);
const Aggregation = Schema.Literals(["max", "min", "average"]);
const Direction = Schema.Literals(["increase", "decrease", "any"]);

const Scope = Schema.Struct({
  _tag: Schema.Literals(["ProjectScope", "ArtifactCollectionScope", "EntityScope"]),
  id: NonEmpty,
  name: Schema.String,
});

const conditions: Readonly<Record<string, Schema.Decoder<MetricCondition>>> = {
  MetricThreshold: Schema.Struct({
    _tag: Schema.Literal("MetricThreshold"),
    metric: NonEmpty,
    agg: Schema.optional(Aggregation),
    window: Schema.optional(PositiveInt),
    op: Schema.Literals([">", ">=", "<", "<="]),
    threshold: Schema.Finite,
  }),
  MetricChange: Schema.Struct({
    _tag: Schema.Literal("MetricChange"),
    metric: NonEmpty,
    agg: Schema.optional(Aggregation),
    window: Schema.optional(PositiveInt),
    priorWindow: Schema.optional(PositiveInt),
    change: Schema.Literals(["absolute", "relative"]),
    amount: Positive,
    direction: Schema.optional(Direction),
  }),
  MetricZScore: Schema.Struct({
    _tag: Schema.Literal("MetricZScore"),
    metric: NonEmpty,
    window: Schema.optional(PositiveInt),
    threshold: Schema.optional(Positive),
    direction: Schema.optional(Direction),
  }),
};

const events: Readonly<Record<string, Schema.Decoder<AutomationEvent>>> = {
  ArtifactEvent: Schema.Struct({
    _tag: Schema.Literal("ArtifactEvent"),
    on: Schema.Literals([
      "createArtifact",
      "linkArtifact",
      "unlinkArtifact",
      "addArtifactAlias",
      "addArtifactTag",
      "removeArtifactTag",
      "addCollectionTag",
      "removeCollectionTag",
    ]),
    scope: Scope,
    filter: Schema.optional(Filter),
  }),
  RunMetricEvent: Schema.Struct({
    _tag: Schema.Literal("RunMetricEvent"),
    scope: Scope,
    runs: Schema.optional(Filter),
    // Checked by its own kind's Schema below, for errors that say one thing.
    condition: Schema.Struct({ _tag: Schema.Literals(Object.keys(conditions)) }),
  }) as unknown as Schema.Decoder<AutomationEvent>,
  RunStateEvent: Schema.Struct({
    _tag: Schema.Literal("RunStateEvent"),
    scope: Scope,
    runs: Schema.optional(Filter),
    states: Schema.Array(Schema.Literals(["running", "finished", "failed", "crashed"])).pipe(
      Schema.check(Schema.isMinLength(1)),
    ),
  }),
};

const actions: Readonly<Record<string, Schema.Decoder<AutomationAction>>> = {
  SendNotification: Schema.Struct({
    _tag: Schema.Literal("SendNotification"),
    integrationId: NonEmpty,
    title: Schema.optional(Schema.String),
    message: Schema.optional(Schema.String),
    severity: Schema.optional(Schema.Literals(["INFO", "WARN", "ERROR"])),
  }),
  SendWebhook: Schema.Struct({
    _tag: Schema.Literal("SendWebhook"),
    integrationId: NonEmpty,
    payload: Schema.optional(Filter),
  }),
  DoNothing: Schema.Struct({ _tag: Schema.Literal("DoNothing") }),
};

const Header = Schema.Struct({
  name: Schema.String.pipe(
    Schema.check(
      Schema.makeFilter((name: string) =>
        name.trim().length > 0 && name.length <= 255 ? undefined : "1 to 255 characters"
      ),
    ),
  ),
  description: Schema.optional(Schema.String),
  enabled: Schema.optional(Schema.Boolean),
});

const bad = (field: string, message: string) =>
  new InvalidArgumentError({ argument: "automation", message: `${field}: ${message}` });

const checkWith = <A>(schema: Schema.Decoder<A>, value: unknown, at: string) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError((e) => {
      const field = issuePath(e.issue);
      return bad(field === "" ? at : `${at}.${field}`, e.message.split("\n")[0]!);
    }),
  );

const byTag = <A>(
  table: Readonly<Record<string, Schema.Decoder<A>>>,
  value: unknown,
  at: string,
): Effect.Effect<A, InvalidArgumentError> => {
  const tag = (value as { _tag?: unknown } | null)?._tag;
  const schema = typeof tag === "string" ? table[tag] : undefined;
  return schema === undefined
    ? Effect.fail(bad(`${at}._tag`, `one of ${Object.keys(table).join(", ")}`))
    : checkWith(schema, value, at);
};

const runEventScopes = new Set(["ProjectScope", "EntityScope"]);

/**
 * Checks an automation to create before any request: its name, its event (with the scope it
 * watches) and its action, each against its own kind's Schema, and that the scope fits the
 * event (a new artifact is watched in an artifact collection, runs in a project or an entity).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { checkNewAutomation } from "@effect-wandb/api/automations";
 * const refused = Effect.runSync(Effect.flip(checkNewAutomation({
 *   name: "loss",
 *   event: {
 *     _tag: "RunMetricEvent",
 *     scope: { _tag: "ProjectScope", id: "UHJvamVjdDox", name: "mnist" },
 *     condition: { _tag: "MetricThreshold", metric: "loss", op: ">", threshold: 1, window: 0 },
 *   },
 *   action: { _tag: "DoNothing" },
 * })));
 * assert.match(refused.message, /event\.condition\.window/);
 * ```
 */
export function checkNewAutomation(
  automation: NewAutomation,
): Effect.Effect<NewAutomation, InvalidArgumentError> {
  return Effect.gen(function* () {
    const header = yield* checkWith(Header, automation, "automation");
    const event = yield* byTag(events, automation.event, "event");
    if (event._tag === "RunMetricEvent") {
      // The event's Schema kept only the condition's tag: the condition is checked whole here.
      yield* byTag(
        conditions,
        automation.event._tag === "RunMetricEvent" ? automation.event.condition : undefined,
        "event.condition",
      );
    }
    if (event._tag !== "UnknownEvent") {
      if (event._tag === "ArtifactEvent" && event.on === "createArtifact") {
        if (event.scope._tag !== "ArtifactCollectionScope") {
          return yield* Effect.fail(
            bad("event.scope", "a createArtifact event watches an artifact collection"),
          );
        }
      } else if (event._tag !== "ArtifactEvent" && !runEventScopes.has(event.scope._tag)) {
        return yield* Effect.fail(
          bad(
            "event.scope",
            "a run event watches a project or an entity (a team, an organization)",
          ),
        );
      }
    }
    const action = yield* byTag(actions, automation.action, "action");
    return { ...header, event: automation.event, action } as NewAutomation;
  });
}
