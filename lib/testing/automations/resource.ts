/**
 * Automations on the local server: an entity's automations (`Entity.triggers`, from W&B Server
 * 0.83), a project's (`Project.triggers`, what older servers are walked for), the viewer's
 * projects to walk (`User.projects`), and creating, changing and deleting them as W&B does:
 * the scope's entity's members only, a name unique in the entity (HTTP 409 otherwise), an
 * automation that is not there HTTP 404, and an event, scope and action that fit together.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { documentFilter } from "../mongo.ts";
import { type ResolverContext, type ServerResource, StatusError } from "../resource.ts";
import { offsetPage } from "../pages.ts";
import type { StoredProject } from "../projects/store.ts";
import { collectionView, idOf } from "../artifacts/resolvers.ts";
import { integrationView } from "../integrations/resource.ts";
import { automationsSdl } from "./sdl.ts";
import { type SeedAutomation, seedAutomations } from "./seed.ts";
import {
  AutomationStore,
  type NewAutomation,
  type StoredAutomation,
  type StoredScope,
} from "./store.ts";

const runEvents = new Set(["RUN_METRIC", "RUN_METRIC_CHANGE", "RUN_METRIC_ZSCORE", "RUN_STATE"]);
const metricFilterOf: Readonly<Record<string, string>> = {
  RUN_METRIC: "threshold_filter",
  RUN_METRIC_CHANGE: "change_filter",
  RUN_METRIC_ZSCORE: "zscore_filter",
};
const actionInputOf: Readonly<Record<string, string>> = {
  NOTIFICATION: "notificationActionInput",
  GENERIC_WEBHOOK: "genericWebhookActionInput",
  NO_OP: "noOpActionInput",
  QUEUE_JOB: "queueJobActionInput",
  ARIA: "ariaActionInput",
  PUSH_NOTIFICATION: "pushNotificationActionInput",
};

const invalid = (message: string): never => {
  throw new GraphQLError(message);
};

const parseJson = (what: string, text: unknown): unknown => {
  if (typeof text !== "string") return invalid(`${what} must be a JSON string`);
  try {
    return JSON.parse(text);
  } catch {
    return invalid(`${what} is not valid JSON`);
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The project named by a `Project` node id (`Project:v1:<name>:<entity>`, as W&B makes it). */
function projectOfId(ctx: ResolverContext, id: string): StoredProject | undefined {
  try {
    const parts = atob(id).split(":");
    if (parts[0] !== "Project" || parts[1] !== "v1" || parts.length < 4) return undefined;
    return ctx.store.projects.get(parts.at(-1)!, parts.slice(2, -1).join(":"));
  } catch {
    return undefined;
  }
}

/** The stored scope of `scopeType` and `scopeID`, and the entity that owns it. */
function scopeOf(
  ctx: ResolverContext,
  type: string,
  id: string,
): { scope: StoredScope; entity: string } {
  const missing = () => invalid(`no ${type.toLowerCase().replace("_", " ")} has id ${id}`);
  switch (type) {
    case "PROJECT": {
      const project = projectOfId(ctx, id);
      if (project === undefined || !ctx.projectVisible(project)) return missing();
      return { scope: { type, projectId: project.internalId }, entity: project.entity };
    }
    case "ARTIFACT_COLLECTION": {
      const found = idOf(id, "ArtifactSequence", "ArtifactPortfolio", "ArtifactCollection");
      const collection = found === undefined
        ? undefined
        : ctx.store.artifacts.collectionById(found);
      const project = collection === undefined
        ? undefined
        : ctx.store.projects.byId(collection.projectId);
      if (collection === undefined || project === undefined || !ctx.projectVisible(project)) {
        return missing();
      }
      return { scope: { type, collectionId: collection.id }, entity: project.entity };
    }
    default: {
      let name: string | undefined;
      try {
        const [kind, value] = atob(id).split(":");
        name = kind === "Entity" ? value : undefined;
      } catch {
        name = undefined;
      }
      const entity = name === undefined ? undefined : ctx.store.users.entity(name);
      // An automation watches a team or an organization, never a user's own entity.
      if (entity === undefined || !entity.isTeam) return missing();
      return { scope: { type: "ENTITY", entity: entity.name }, entity: entity.name };
    }
  }
}

/** Checks an event's filter as W&B does before saving it: its shape for its event type. */
function checkEvent(eventType: string, scope: StoredScope, eventFilter: unknown): void {
  const filter = parseJson("eventFilter", eventFilter);
  if (!isObject(filter)) invalid("eventFilter must be a JSON object");
  const f = filter as Record<string, unknown>;
  if (runEvents.has(eventType)) {
    if (scope.type === "ARTIFACT_COLLECTION") {
      invalid(`${eventType} events watch a project or an entity, not an artifact collection`);
    }
    const runFilter = parseJson("run_filter", f.run_filter);
    if (!isObject(runFilter) || !Array.isArray(runFilter.$and)) {
      invalid('run_filter must be {"$and": [...]}');
    }
    if (eventType === "RUN_STATE") {
      const states = (f.run_state_filter as { states?: unknown } | undefined)?.states;
      const known = ["RUNNING", "FINISHED", "FAILED"];
      if (
        !Array.isArray(states) || states.length === 0 ||
        !states.every((s) => known.includes(s as string))
      ) {
        invalid(`run_state_filter.states must list some of ${known.join(", ")}`);
      }
      return;
    }
    const metric = (f.run_metric_filter as Record<string, unknown> | undefined)?.[
      metricFilterOf[eventType]!
    ];
    if (!isObject(metric) || typeof metric.name !== "string" || metric.name === "") {
      invalid(
        `a ${eventType} event needs run_metric_filter.${metricFilterOf[eventType]} naming a metric`,
      );
    }
    return;
  }
  if (eventType === "CREATE_ARTIFACT" && scope.type !== "ARTIFACT_COLLECTION") {
    invalid("CREATE_ARTIFACT events watch an artifact collection");
  }
  if (!Array.isArray(f.$or)) invalid('an artifact event\'s filter must be {"$or": [...]}');
}

/** Checks an action's configuration: the input its type names, and an integration that fits. */
function checkAction(
  ctx: ResolverContext,
  entity: string,
  actionType: string,
  config: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const key = actionInputOf[actionType];
  const input = key === undefined ? undefined : config?.[key];
  if (!isObject(input)) return invalid(`a ${actionType} action needs triggeredActionConfig.${key}`);
  if (actionType === "NOTIFICATION" || actionType === "GENERIC_WEBHOOK") {
    const id = idOf(String(input.integrationID), "Integration");
    const integration = id === undefined ? undefined : ctx.store.integrations.get(id);
    const kind = actionType === "NOTIFICATION" ? "slack" : "webhook";
    if (integration === undefined || integration.entity !== entity || integration.kind !== kind) {
      invalid(`${entity} has no ${kind} integration ${input.integrationID}`);
    }
    if (actionType === "GENERIC_WEBHOOK" && input.requestPayload != null) {
      parseJson("requestPayload", input.requestPayload);
    }
  }
  if (actionType === "PUSH_NOTIFICATION") {
    invalid("the local server does not send push notifications");
  }
  return input as Record<string, unknown>;
}

/** The GraphQL view of an automation. */
export function automationView(ctx: ResolverContext, a: StoredAutomation): Record<string, unknown> {
  const integration = () => {
    const id = idOf(String(a.action.integrationID), "Integration");
    const found = id === undefined ? undefined : ctx.store.integrations.get(id);
    return found === undefined ? null : integrationView(found);
  };
  const action = (): Record<string, unknown> => {
    switch (a.actionType) {
      case "NOTIFICATION":
        return {
          __typename: "NotificationTriggeredAction",
          integration,
          title: a.action.title ?? null,
          message: a.action.message ?? null,
          severity: a.action.severity ?? null,
        };
      case "GENERIC_WEBHOOK":
        return {
          __typename: "GenericWebhookTriggeredAction",
          integration,
          requestPayload: a.action.requestPayload ?? null,
        };
      case "QUEUE_JOB":
        return { __typename: "QueueJobTriggeredAction", queue: null, template: a.action.template };
      case "ARIA":
        return { __typename: "ARIATriggeredAction", prompt: a.action.prompt };
      default:
        return { __typename: "NoOpTriggeredAction", noOp: true };
    }
  };
  const scope = (): Record<string, unknown> | null => {
    switch (a.scope.type) {
      case "PROJECT": {
        const project = ctx.store.projects.byId(a.scope.projectId);
        return project === undefined
          ? null
          : { __typename: "Project", ...ctx.projectView(project) };
      }
      case "ARTIFACT_COLLECTION": {
        const collection = ctx.store.artifacts.collectionById(a.scope.collectionId);
        return collection === undefined ? null : collectionView(ctx, collection);
      }
      default: {
        const entity = ctx.entityView(a.scope.entity);
        return entity === null ? null : { __typename: "Entity", ...entity };
      }
    }
  };
  return {
    __typename: "Trigger",
    id: btoa(`Trigger:${a.id}`),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    name: a.name,
    description: a.description,
    enabled: a.enabled,
    createdBy: () => {
      const user = ctx.store.users.list().find((u) => u.id === a.createdBy);
      return user === undefined ? null : ctx.userView(user);
    },
    scope,
    triggeringCondition: {
      __typename: "FilterEventTriggeringCondition",
      eventType: a.eventType,
      filter: a.eventFilter,
    },
    triggeredAction: action,
  };
}

/** Whether the viewer may see an automation: it watches nothing hidden from them. */
function visible(ctx: ResolverContext, a: StoredAutomation): boolean {
  const projectId = a.scope.type === "PROJECT"
    ? a.scope.projectId
    : a.scope.type === "ARTIFACT_COLLECTION"
    ? ctx.store.artifacts.collectionById(a.scope.collectionId)?.projectId
    : undefined;
  const project = projectId === undefined ? undefined : ctx.store.projects.byId(projectId);
  return project === undefined || ctx.projectVisible(project);
}

/** The automation a mutation names, which the viewer may change (HTTP 404 and 403 otherwise). */
function changeable(ctx: ResolverContext, id: string): StoredAutomation {
  const found = idOf(id, "Trigger");
  const automation = found === undefined ? undefined : ctx.store.automations.get(found);
  if (automation === undefined || !visible(ctx, automation)) {
    throw new StatusError(404, `automation ${id} not found`);
  }
  if (!ctx.canRead(automation.entity)) throw new StatusError(404, `automation ${id} not found`);
  return automation;
}

interface TriggerInput {
  readonly id?: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly triggeringEventType?: string | null;
  readonly scopeType?: string | null;
  readonly scopeID?: string | null;
  readonly eventFilter?: string | null;
  readonly triggeredActionType?: string | null;
  readonly triggeredActionConfig?: Record<string, unknown> | null;
  readonly enabled?: boolean | null;
}

/** The automation an input describes, over what is saved (for an update), checked whole. */
function automationOf(
  ctx: ResolverContext,
  input: TriggerInput,
  saved?: StoredAutomation,
): NewAutomation {
  const name = input.name ?? saved?.name ?? "";
  if (name.trim() === "" || name.length > 255) {
    invalid("an automation's name is 1 to 255 characters");
  }
  const scopeChanged = input.scopeType != null || input.scopeID != null;
  const { scope, entity } = scopeChanged || saved === undefined
    ? scopeOf(ctx, input.scopeType ?? saved?.scope.type ?? "", input.scopeID ?? "")
    : { scope: saved.scope, entity: saved.entity };
  ctx.checkEntity(entity);
  const eventType = input.triggeringEventType ?? saved!.eventType;
  const eventFilter = input.eventFilter ?? saved!.eventFilter;
  checkEvent(eventType, scope, eventFilter);
  const actionType = input.triggeredActionType ?? saved!.actionType;
  const action = input.triggeredActionConfig != null || saved === undefined
    ? checkAction(ctx, entity, actionType, input.triggeredActionConfig)
    : saved.action;
  const taken = ctx.store.automations.named(entity, name);
  if (taken !== undefined && taken.id !== saved?.id) {
    throw new StatusError(409, `an automation named ${name} exists in ${entity}`);
  }
  return {
    entity,
    name,
    description: input.description !== undefined ? input.description : saved?.description ?? null,
    enabled: input.enabled ?? saved?.enabled ?? true,
    createdBy: saved?.createdBy ?? ctx.viewer.id,
    scope,
    eventType,
    eventFilter,
    actionType,
    action,
  };
}

/** The collections of a project, whose automations its `triggers` also lists. */
const collectionsOf = (ctx: ResolverContext, project: StoredProject) =>
  ctx.store.artifacts.types(project.internalId).flatMap((t) =>
    ctx.store.artifacts.collections(t.id).map((c) => c.id)
  );

/**
 * The automations resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { automationsResource } from "@effect-wandb/api/testing";
 * assert.ok(automationsResource.rootFields?.createFilterTrigger !== undefined);
 * ```
 */
export const automationsResource: ServerResource<AutomationStore, SeedAutomation> = {
  open: (db) => new AutomationStore(db),
  sdl: automationsSdl,
  gated: {
    QUERY_AUTOMATIONS_ON_ENTITY: ["Entity.triggers"],
    AUTOMATION_SCOPE_ENTITY: ["TriggerScopeType.ENTITY", "TriggerScope.Entity"],
    AUTOMATION_EVENT_ADD_ARTIFACT_TAG: ["EventTriggeringConditionType.ADD_ARTIFACT_TAG"],
    AUTOMATION_EVENT_REMOVE_ARTIFACT_TAG: ["EventTriggeringConditionType.REMOVE_ARTIFACT_TAG"],
    AUTOMATION_EVENT_ADD_COLLECTION_TAG: ["EventTriggeringConditionType.ADD_COLLECTION_TAG"],
    AUTOMATION_EVENT_REMOVE_COLLECTION_TAG: [
      "EventTriggeringConditionType.REMOVE_COLLECTION_TAG",
    ],
    AUTOMATION_EVENT_UNLINK_ARTIFACT: ["EventTriggeringConditionType.UNLINK_ARTIFACT"],
    AUTOMATION_ACTION_PUSH_NOTIFICATION: [
      "TriggeredActionType.PUSH_NOTIFICATION",
      "TriggeredActionConfig.pushNotificationActionInput",
      "PushNotificationActionInput",
    ],
    AUTOMATION_ACTION_ARIA: [
      "TriggeredActionType.ARIA",
      "TriggeredActionConfig.ariaActionInput",
      "ARIAActionInput",
      "ARIATriggeredAction",
    ],
  },
  entityFields: (ctx, entity) => ({
    triggers: (
      args: { after?: string | null; first?: number | null; filters?: string | null },
    ) => {
      ctx.canRead(entity);
      const keep = documentFilter("automation", args.filters);
      const page = offsetPage(
        ctx.store.automations.list(entity).filter((a) =>
          visible(ctx, a) &&
          keep({ name: a.name, description: a.description, enabled: a.enabled })
        ),
        args.after,
        args.first,
        50,
      );
      return {
        ...page,
        edges: page.edges.map((e) => ({ ...e, node: automationView(ctx, e.node) })),
      };
    },
  }),
  projectFields: (ctx, project) => ({
    triggers: () =>
      ctx.store.automations.inProject(project.internalId, collectionsOf(ctx, project))
        .map((a) => automationView(ctx, a)),
  }),
  userFields: (ctx, user) => ({
    // The projects of the entities a user belongs to (and the viewer may read).
    projects: (args: { after?: string | null; first?: number | null }) => {
      const projects = ctx.store.users.entitiesOf(user.username)
        .filter((e) => ctx.store.users.entity(e.name)?.members.includes(ctx.viewer.username))
        .flatMap((e) => ctx.store.projects.list(e.name))
        .filter((p) => ctx.projectVisible(p));
      const page = offsetPage(projects, args.after, args.first, 50);
      return { ...page, edges: page.edges.map((e) => ({ ...e, node: ctx.projectView(e.node) })) };
    },
  }),
  rootFields: {
    createFilterTrigger: ({ input }: { input: TriggerInput }, ctx) => {
      const created = ctx.store.automations.create(automationOf(ctx, input));
      return { trigger: automationView(ctx, created), clientMutationId: null };
    },
    updateFilterTrigger: ({ input }: { input: TriggerInput & { id: string } }, ctx) => {
      const saved = changeable(ctx, input.id);
      const updated = ctx.store.automations.update(saved.id, automationOf(ctx, input, saved));
      return { trigger: automationView(ctx, updated), clientMutationId: null };
    },
    deleteTrigger: ({ input }: { input: { triggerID: string } }, ctx) => {
      const saved = changeable(ctx, input.triggerID);
      ctx.checkEntity(saved.entity);
      return { success: ctx.store.automations.delete(saved.id), clientMutationId: null };
    },
  },
  seed: seedAutomations,
  load: (store, _core, automations) => {
    for (const seeded of automations) {
      const project = "project" in seeded.scope
        ? store.projects.get(seeded.entity, seeded.scope.project)
        : undefined;
      const [projectName, collectionName] = "collection" in seeded.scope
        ? seeded.scope.collection.split("/")
        : [];
      const collectionProject = projectName === undefined
        ? undefined
        : store.projects.get(seeded.entity, projectName);
      const collection = collectionProject === undefined
        ? undefined
        : store.artifacts.collection(collectionProject.internalId, collectionName!);
      const scope: StoredScope = project !== undefined
        ? { type: "PROJECT", projectId: project.internalId }
        : { type: "ARTIFACT_COLLECTION", collectionId: collection!.id };
      const { integration: named, ...action } = seeded.action;
      const integration = store.integrations.list(seeded.entity).find((i) =>
        i.kind === "slack" ? i.channelName === named : i.name === named
      );
      store.automations.create({
        entity: seeded.entity,
        name: seeded.name,
        description: seeded.description,
        enabled: seeded.enabled,
        createdBy: store.users.byName(seeded.createdBy)!.id,
        scope,
        eventType: seeded.eventType,
        eventFilter: JSON.stringify(seeded.eventFilter),
        actionType: seeded.actionType,
        action: integration === undefined
          ? action
          : { ...action, integrationID: btoa(`Integration:${integration.id}`) },
      });
    }
  },
};
