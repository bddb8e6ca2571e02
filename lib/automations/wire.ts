/**
 * Automations on the wire, as the official client (wandb 0.30) encodes them: the event's filter
 * a JSON string (a run filter a JSON string inside it), the action an input of its type; and
 * back, what the server saved decoded to this client's values, what it does not model (a newer
 * event, a Launch or ARIA action) kept with its raw filter.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { InvalidArgumentError } from "../core/errors.ts";
import { encodeFilters, type RunFilter } from "../core/filters.ts";
import type { ServerFeature } from "../core/capabilities.ts";
import type {
  ArtifactEventType,
  Automation,
  AutomationAction,
  AutomationEvent,
  AutomationScope,
  MetricCondition,
  NewAutomation,
  RunStateName,
} from "./model.ts";
import type { TriggerActionData, TriggerInput, TriggerNodeData } from "./queries.ts";

const bad = (field: string, message: string) =>
  new InvalidArgumentError({ argument: "automation", message: `${field}: ${message}` });

// ---- encoding, as wandb 0.30 encodes ------------------------------------------------------

const artifactEventTypes: Readonly<Record<ArtifactEventType, string>> = {
  createArtifact: "CREATE_ARTIFACT",
  linkArtifact: "LINK_MODEL",
  unlinkArtifact: "UNLINK_ARTIFACT",
  addArtifactAlias: "ADD_ARTIFACT_ALIAS",
  addArtifactTag: "ADD_ARTIFACT_TAG",
  removeArtifactTag: "REMOVE_ARTIFACT_TAG",
  addCollectionTag: "ADD_COLLECTION_TAG",
  removeCollectionTag: "REMOVE_COLLECTION_TAG",
};

const conditionEventTypes: Readonly<Record<MetricCondition["_tag"], string>> = {
  MetricThreshold: "RUN_METRIC",
  MetricChange: "RUN_METRIC_CHANGE",
  MetricZScore: "RUN_METRIC_ZSCORE",
};

const scopeTypes: Readonly<Record<AutomationScope["_tag"], TriggerInput["scopeType"]>> = {
  ProjectScope: "PROJECT",
  ArtifactCollectionScope: "ARTIFACT_COLLECTION",
  EntityScope: "ENTITY",
};

const comparisons = { ">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte" } as const;

/** A field compared to a plain value means equality: `{ alias: "prod" }` is `{ alias: { $eq: "prod" } }`. */
const normalized = (filter: RunFilter): RunFilter =>
  Object.fromEntries(
    Object.entries(filter).map(([key, value]) =>
      key.startsWith("$")
        ? [key, Array.isArray(value) ? value.map((f) => normalized(f as RunFilter)) : value]
        : [key, typeof value === "object" && value !== null ? value : { $eq: value }]
    ),
  );

/** `{"$and": [...]}` around a filter, unless it is one already (what W&B's UI expects). */
const wrappedAnd = (filter: RunFilter | undefined): RunFilter => {
  if (filter === undefined || Object.keys(filter).length === 0) return { $and: [] };
  const simple = normalized(filter);
  return Object.keys(simple).length === 1 && Array.isArray(simple.$and)
    ? simple
    : { $and: [simple] };
};

const upper = (value: string | undefined) => value === undefined ? null : value.toUpperCase();

/** The event's filter as W&B stores it, and its event type. */
const encodeEvent = (
  event: AutomationEvent,
): Effect.Effect<{ eventType: string; filter: string }, InvalidArgumentError> =>
  Effect.gen(function* () {
    switch (event._tag) {
      case "ArtifactEvent": {
        yield* encodeFilters(event.filter);
        return {
          eventType: artifactEventTypes[event.on],
          filter: JSON.stringify({ $or: [wrappedAnd(event.filter)] }),
        };
      }
      case "RunStateEvent": {
        yield* encodeFilters(event.runs);
        const states = [
          ...new Set(event.states.map((s) => s === "crashed" ? "FAILED" : s.toUpperCase())),
        ].sort();
        return {
          eventType: "RUN_STATE",
          filter: JSON.stringify({
            run_filter: JSON.stringify(wrappedAnd(event.runs)),
            run_state_filter: { states },
          }),
        };
      }
      case "RunMetricEvent": {
        yield* encodeFilters(event.runs);
        const c = event.condition;
        const window = c.window ?? (c._tag === "MetricZScore" ? 30 : 1);
        const metric = c._tag === "MetricThreshold"
          ? {
            threshold_filter: {
              name: c.metric,
              agg_op: upper(c.agg),
              window_size: window,
              cmp_op: comparisons[c.op],
              threshold: c.threshold,
            },
          }
          : c._tag === "MetricChange"
          ? {
            change_filter: {
              name: c.metric,
              agg_op: upper(c.agg),
              current_window_size: window,
              change_amount: c.amount,
              prior_window_size: c.priorWindow ?? window,
              change_type: c.change.toUpperCase(),
              change_dir: (c.direction ?? "any").toUpperCase(),
            },
          }
          : {
            zscore_filter: {
              name: c.metric,
              window_size: window,
              threshold: c.threshold ?? 3,
              change_dir: (c.direction ?? "any").toUpperCase(),
            },
          };
        return {
          eventType: conditionEventTypes[c._tag],
          filter: JSON.stringify({
            run_filter: JSON.stringify(wrappedAnd(event.runs)),
            run_metric_filter: metric,
            metric_filter: null,
          }),
        };
      }
      case "UnknownEvent":
        return { eventType: event.eventType, filter: event.filter };
    }
  });

/** The action's type and configuration, as `triggeredActionType` and `triggeredActionConfig`. */
const encodeAction = (
  action: AutomationAction,
): Effect.Effect<
  { type: string; config: Readonly<Record<string, unknown>> },
  InvalidArgumentError
> => {
  switch (action._tag) {
    case "SendNotification":
      return Effect.succeed({
        type: "NOTIFICATION",
        config: {
          notificationActionInput: {
            integrationID: action.integrationId,
            message: action.message ?? "",
            severity: action.severity ?? "INFO",
            title: action.title ?? "",
          },
        },
      });
    case "SendWebhook":
      return Effect.succeed({
        type: "GENERIC_WEBHOOK",
        config: {
          genericWebhookActionInput: {
            integrationID: action.integrationId,
            ...(action.payload === undefined
              ? {}
              : { requestPayload: JSON.stringify(action.payload) }),
          },
        },
      });
    case "DoNothing":
      return Effect.succeed({ type: "NO_OP", config: { noOpActionInput: { noOp: true } } });
    case "UnknownAction":
      return Effect.fail(
        bad(
          "action",
          `a ${action.actionType} action cannot be saved by this client: give a SendNotification, SendWebhook or DoNothing`,
        ),
      );
  }
};

/**
 * The input of `CreateAutomation` (or, with `id`, of `UpdateAutomation`), as wandb 0.30 fills it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { automationInput } from "@effect-wandb/api/automations";
 * const input = Effect.runSync(automationInput({
 *   name: "failed",
 *   event: {
 *     _tag: "RunStateEvent",
 *     scope: { _tag: "ProjectScope", id: "UHJvamVjdDox", name: "mnist" },
 *     states: ["failed"],
 *   },
 *   action: { _tag: "DoNothing" },
 * }));
 * assert.equal(input.eventFilter, '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["FAILED"]}}');
 * ```
 */
export function automationInput(
  automation: NewAutomation,
  id?: string,
): Effect.Effect<TriggerInput, InvalidArgumentError> {
  return Effect.gen(function* () {
    if (automation.event._tag === "UnknownEvent" && automation.event.scope === null) {
      return yield* Effect.fail(bad("event.scope", "the saved automation's scope is unknown"));
    }
    const scope = automation.event.scope!;
    const event = yield* encodeEvent(automation.event);
    const action = yield* encodeAction(automation.action);
    return {
      ...(id === undefined ? {} : { id }),
      name: automation.name,
      description: automation.description ?? null,
      enabled: automation.enabled ?? true,
      scopeType: scopeTypes[scope._tag],
      scopeID: scope.id,
      triggeringEventType: event.eventType,
      eventFilter: event.filter,
      triggeredActionType: action.type,
      triggeredActionConfig: action.config,
    };
  });
}

/**
 * The server feature an automation needs beyond what every supported W&B Server has (as wandb
 * 0.30's `automation_enabled` reads them), if any.
 */
export function featuresNeeded(input: TriggerInput): ReadonlyArray<ServerFeature> {
  const needed: Array<ServerFeature> = [];
  if (input.scopeType === "ENTITY") needed.push("AUTOMATION_SCOPE_ENTITY");
  const byEvent: Readonly<Record<string, ServerFeature>> = {
    RUN_METRIC_ZSCORE: "AUTOMATION_EVENT_RUN_METRIC_ZSCORE",
    ADD_ARTIFACT_TAG: "AUTOMATION_EVENT_ADD_ARTIFACT_TAG",
    REMOVE_ARTIFACT_TAG: "AUTOMATION_EVENT_REMOVE_ARTIFACT_TAG",
    ADD_COLLECTION_TAG: "AUTOMATION_EVENT_ADD_COLLECTION_TAG",
    REMOVE_COLLECTION_TAG: "AUTOMATION_EVENT_REMOVE_COLLECTION_TAG",
    UNLINK_ARTIFACT: "AUTOMATION_EVENT_UNLINK_ARTIFACT",
  };
  const event = byEvent[input.triggeringEventType];
  if (event !== undefined) needed.push(event);
  return needed;
}

// ---- decoding what the server saved ---------------------------------------------------------

const parsed = (text: unknown): unknown => {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A stored `{"$and": [...]}` as the filter it wraps: none, the one inside, or itself. */
const unwrappedAnd = (filter: unknown): RunFilter | undefined => {
  if (!isObject(filter)) return undefined;
  const all = filter.$and;
  if (Object.keys(filter).length !== 1 || !Array.isArray(all)) return filter;
  if (all.length === 0) return undefined;
  return all.length === 1 && isObject(all[0]) ? all[0] : filter;
};

const lower = <A extends string>(value: unknown, known: ReadonlyArray<A>): A | undefined => {
  const found = typeof value === "string" ? value.toLowerCase() : undefined;
  return known.find((k) => k === found);
};

const fromComparison: Readonly<Record<string, ">" | ">=" | "<" | "<=">> = {
  $gt: ">",
  $gte: ">=",
  $lt: "<",
  $lte: "<=",
};

const aggregations = ["max", "min", "average"] as const;
const directions = ["increase", "decrease", "any"] as const;

const decodeCondition = (eventType: string, filter: Record<string, unknown>) => {
  const wrapped = isObject(filter.run_metric_filter) ? filter.run_metric_filter : {};
  // Automations saved before `run_metric_filter` keep their threshold in `metric_filter`, a JSON
  // string of its own (the official client still reads it).
  const threshold = isObject(wrapped.threshold_filter)
    ? wrapped.threshold_filter
    : eventType === "RUN_METRIC"
    ? parsed(filter.metric_filter)
    : undefined;
  const num = (v: unknown) => typeof v === "number" ? v : undefined;
  if (eventType === "RUN_METRIC" && isObject(threshold)) {
    const op = fromComparison[String(threshold.cmp_op)];
    if (typeof threshold.name !== "string" || op === undefined) return undefined;
    const value = num(threshold.threshold);
    if (value === undefined) return undefined;
    return {
      _tag: "MetricThreshold",
      metric: threshold.name,
      agg: lower(threshold.agg_op, aggregations),
      window: num(threshold.window_size),
      op,
      threshold: value,
    } satisfies MetricCondition;
  }
  const change = wrapped.change_filter;
  if (eventType === "RUN_METRIC_CHANGE" && isObject(change) && typeof change.name === "string") {
    const amount = num(change.change_amount);
    const kind = lower(change.change_type, ["absolute", "relative"] as const);
    if (amount === undefined || kind === undefined) return undefined;
    return {
      _tag: "MetricChange",
      metric: change.name,
      agg: lower(change.agg_op, aggregations),
      window: num(change.current_window_size),
      priorWindow: num(change.prior_window_size),
      change: kind,
      amount,
      direction: lower(change.change_dir, directions),
    } satisfies MetricCondition;
  }
  const zscore = wrapped.zscore_filter;
  if (eventType === "RUN_METRIC_ZSCORE" && isObject(zscore) && typeof zscore.name === "string") {
    return {
      _tag: "MetricZScore",
      metric: zscore.name,
      window: num(zscore.window_size),
      threshold: num(zscore.threshold),
      direction: lower(zscore.change_dir, directions),
    } satisfies MetricCondition;
  }
  return undefined;
};

const savedScope = (node: TriggerNodeData): AutomationScope | null => {
  const scope = node.scope;
  if (scope === null || scope.id === undefined) return null;
  const name = scope.name ?? "";
  switch (scope.__typename) {
    case "Project":
      return { _tag: "ProjectScope", id: scope.id, name };
    case "ArtifactSequence":
    case "ArtifactPortfolio":
    case "ArtifactCollection":
      return { _tag: "ArtifactCollectionScope", id: scope.id, name };
    case "Entity":
      return { _tag: "EntityScope", id: scope.id, name };
    default:
      return null;
  }
};

const savedEvent = (node: TriggerNodeData): AutomationEvent => {
  const scope = savedScope(node);
  const { eventType, filter: text } = node.event;
  const unknown: AutomationEvent = { _tag: "UnknownEvent", scope, eventType, filter: text };
  if (scope === null) return unknown;
  const filter = parsed(text);
  if (!isObject(filter)) return unknown;
  const artifactEvent = (Object.entries(artifactEventTypes) as Array<[ArtifactEventType, string]>)
    .find(([, type]) => type === eventType)?.[0];
  if (artifactEvent !== undefined) {
    const any = filter.$or;
    if (!Array.isArray(any)) return unknown;
    const inner = any.length === 1 ? unwrappedAnd(any[0]) : filter;
    return {
      _tag: "ArtifactEvent",
      on: artifactEvent,
      scope,
      ...(inner === undefined ? {} : { filter: inner }),
    };
  }
  const runs = unwrappedAnd(parsed(filter.run_filter));
  const withRuns = runs === undefined ? {} : { runs };
  if (eventType === "RUN_STATE") {
    const states = (filter.run_state_filter as { states?: unknown } | undefined)?.states;
    if (!Array.isArray(states)) return unknown;
    const known = states.map((s) => lower(s, ["running", "finished", "failed"] as const));
    if (known.some((s) => s === undefined)) return unknown;
    return { _tag: "RunStateEvent", scope, ...withRuns, states: known as Array<RunStateName> };
  }
  const condition = decodeCondition(eventType, filter);
  return condition === undefined
    ? unknown
    : { _tag: "RunMetricEvent", scope, ...withRuns, condition };
};

const severities = ["INFO", "WARN", "ERROR"] as const;

const savedAction = (action: TriggerActionData): AutomationAction => {
  const integrationId = action.integration?.id;
  switch (action.__typename) {
    case "NotificationTriggeredAction":
      if (integrationId === undefined) break;
      return {
        _tag: "SendNotification",
        integrationId,
        title: action.title ?? undefined,
        message: action.message ?? undefined,
        severity: severities.find((s) => s === action.severity),
      };
    case "GenericWebhookTriggeredAction": {
      if (integrationId === undefined) break;
      const payload = parsed(action.requestPayload);
      return {
        _tag: "SendWebhook",
        integrationId,
        ...(isObject(payload) ? { payload } : {}),
      };
    }
    case "NoOpTriggeredAction":
      return { _tag: "DoNothing" };
  }
  return { _tag: "UnknownAction", actionType: action.__typename };
};

/**
 * An automation as the server saved it: its event and action decoded to this client's values,
 * or, for what it does not model, kept as the server sent it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toAutomation } from "@effect-wandb/api/automations";
 * const a = toAutomation({
 *   id: "VHJpZ2dlcjox",
 *   createdAt: "2026-01-01T00:00:00Z",
 *   updatedAt: null,
 *   name: "failed",
 *   description: null,
 *   enabled: true,
 *   scope: { __typename: "Project", id: "UHJvamVjdDox", name: "mnist" },
 *   event: { eventType: "RUN_STATE", filter: '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["FAILED"]}}' },
 *   action: { __typename: "NoOpTriggeredAction", noOp: true },
 * });
 * assert.deepEqual(a.event._tag === "RunStateEvent" && a.event.states, ["failed"]);
 * ```
 */
export function toAutomation(node: TriggerNodeData): Automation {
  return {
    id: node.id,
    name: node.name,
    description: node.description,
    enabled: node.enabled,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    event: savedEvent(node),
    action: savedAction(node.action),
  };
}
