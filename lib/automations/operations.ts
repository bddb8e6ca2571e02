/**
 * Automations (Python's `api.automations()`, `api.automation()`, `api.create_automation()`,
 * `api.update_automation()`, `api.delete_automation()`): an event in a scope that fires an
 * action. Servers older than 0.83 cannot list an entity's automations: they are read, as the
 * official client reads them, by walking the entity's (or the viewer's) projects. An event or
 * scope the server does not support is an `UnsupportedByServerError` naming the feature, before
 * the automation is sent.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { requireFeature, type ServerCapabilities } from "../core/capabilities.ts";
import {
  InvalidArgumentError,
  NotFoundError,
  type RequestError,
  type ServerError,
} from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import type { WandbClient } from "../core/transport.ts";
import {
  type Automation,
  type AutomationScope,
  checkNewAutomation,
  type NewAutomation,
} from "./model.ts";
import { automationInput, featuresNeeded, toAutomation } from "./wire.ts";
import {
  deleteAutomationMutation,
  entityAutomationsQuery,
  projectAutomationsQuery,
  saveAutomationMutation,
  type TriggerNodeData,
  type TriggerShape,
} from "./queries.ts";

/** What a server's automations are read as: its scopes and actions. */
const shapeOf = ({ features }: ServerCapabilities): TriggerShape => ({
  entityScope: features.has("AUTOMATION_SCOPE_ENTITY"),
  aria: features.has("AUTOMATION_ACTION_ARIA"),
});

/**
 * The scope of a project (`api.project(…)`): automations on its runs and artifacts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectScope } from "@effect-wandb/api/automations";
 * assert.equal(projectScope({ id: "UHJvamVjdDox", name: "mnist" })._tag, "ProjectScope");
 * ```
 */
export function projectScope(
  project: { readonly id: string; readonly name: string },
): AutomationScope {
  return { _tag: "ProjectScope", id: project.id, name: project.name };
}

/**
 * The scope of a registry (`api.registry(…)`): a project as W&B keeps it, by its full name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryScope } from "@effect-wandb/api/automations";
 * const scope = registryScope({ id: "UHJvamVjdDoy", fullName: "wandb-registry-model" });
 * assert.equal(scope.name, "wandb-registry-model");
 * ```
 */
export function registryScope(
  registry: { readonly id: string; readonly fullName: string },
): AutomationScope {
  return { _tag: "ProjectScope", id: registry.id, name: registry.fullName };
}

/**
 * The scope of an artifact collection (`api.artifactCollection(…)`), a sequence or a portfolio.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectionScope } from "@effect-wandb/api/automations";
 * assert.equal(collectionScope({ id: "QXJ0aWZhY3RTZXF1ZW5jZTox", name: "mnist-raw" })._tag, "ArtifactCollectionScope");
 * ```
 */
export function collectionScope(
  collection: { readonly id: string; readonly name: string },
): AutomationScope {
  return { _tag: "ArtifactCollectionScope", id: collection.id, name: collection.name };
}

/**
 * The scope of a team (`api.team(…)`) or an organization's entity (`organization.orgEntity`):
 * automations on every project in it (W&B Server 0.83 and later).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entityScope } from "@effect-wandb/api/automations";
 * assert.equal(entityScope({ id: "RW50aXR5OmFjbWU=", name: "acme" })._tag, "EntityScope");
 * ```
 */
export function entityScope(
  entity: { readonly id: string; readonly name: string },
): AutomationScope {
  return { _tag: "EntityScope", id: entity.id, name: entity.name };
}

/** Options of {@link listAutomations}. */
export interface AutomationsOptions {
  /** The entity whose automations to list; every one the viewer sees when absent. */
  readonly entity?: string | undefined;
  /** Only the automation of this name. */
  readonly name?: string | undefined;
  /** @default {50} */
  readonly perPage?: number | undefined;
}

const entityNotFound = (operation: string, entity: string) =>
  new NotFoundError({
    operation,
    resource: "entity",
    path: entity,
    message: `Entity ${entity} not found`,
  });

/**
 * Automations, oldest first: an entity's, or every one the viewer may see (Python's
 * `api.automations(entity, name=…)`). On servers older than 0.83 the projects are walked, a
 * page of projects at a time; an automation is listed once.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listAutomations } from "@effect-wandb/api/automations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const names = (client: WandbClient) =>
 *   listAutomations(client, { entity: "acme" }).pipe(Stream.map((a) => a.name), Stream.runCollect);
 * ```
 */
export function listAutomations(
  client: WandbClient,
  options?: AutomationsOptions,
): Stream.Stream<Automation, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = options?.perPage ?? 50;
  const entity = options?.entity;
  const name = options?.name;
  return checkedStream(
    positiveInteger("perPage", perPage),
    Stream.unwrap(Effect.map(client.capabilities, (capabilities) => {
      const shape = shapeOf(capabilities);
      if (entity !== undefined && capabilities.features.has("QUERY_AUTOMATIONS_ON_ENTITY")) {
        const filters = name === undefined ? null : JSON.stringify({ name });
        return paginate({
          operation: "GetEntityAutomations",
          fetchPage: (cursor) =>
            client.execute(entityAutomationsQuery(shape, entity, filters, perPage, cursor)).pipe(
              Effect.flatMap((data) =>
                data.scope === null
                  ? Effect.fail(entityNotFound("GetEntityAutomations", entity))
                  : Effect.succeed({
                    items: (data.scope.triggers?.edges ?? []).map((e) => toAutomation(e.node)),
                    nextCursor: data.scope.triggers?.pageInfo.endCursor ?? null,
                    hasNextPage: data.scope.triggers?.pageInfo.hasNextPage ?? false,
                  })
              ),
            ),
        });
      }
      // The project walk: a project's automations carry no filter, so the name is matched
      // here; an automation seen in an earlier project is not listed again.
      const seen = new Set<string>();
      const operation = entity === undefined
        ? "GetAutomationsLegacy"
        : "GetEntityAutomationsLegacy";
      return paginate({
        operation,
        fetchPage: (cursor) =>
          client.execute(projectAutomationsQuery(shape, entity, perPage, cursor)).pipe(
            Effect.flatMap((data) => {
              if (data.scope === null) {
                return Effect.fail(entityNotFound(operation, entity ?? "viewer"));
              }
              const nodes: Array<TriggerNodeData> = (data.scope.projects?.edges ?? []).flatMap((
                e,
              ) =>
                e.node.triggers.filter((t) =>
                  (name === undefined || t.name === name) && !seen.has(t.id) && seen.add(t.id)
                )
              );
              return Effect.succeed({
                items: nodes.map(toAutomation),
                nextCursor: data.scope.projects?.pageInfo.endCursor ?? null,
                hasNextPage: data.scope.projects?.pageInfo.hasNextPage ?? false,
              });
            }),
          ),
      });
    })),
  );
}

/**
 * The automation of a name (Python's `api.automation(name, entity=…)`): a `NotFoundError` when
 * there is none, an `InvalidArgumentError` when several entities have one (name the entity).
 *
 * @example
 * ```ts
 * import { getAutomation } from "@effect-wandb/api/automations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const nightly = (client: WandbClient) => getAutomation(client, "nightly-eval", "acme");
 * ```
 */
export function getAutomation(
  client: WandbClient,
  name: string,
  entity?: string,
): Effect.Effect<Automation, RequestError | NotFoundError | InvalidArgumentError> {
  return Stream.runCollect(Stream.take(listAutomations(client, { entity, name }), 2)).pipe(
    Effect.flatMap((found): Effect.Effect<Automation, NotFoundError | InvalidArgumentError> => {
      const all = Array.from(found);
      if (all.length === 1) return Effect.succeed(all[0]!);
      return all.length === 0
        ? Effect.fail(
          new NotFoundError({
            operation: entity === undefined ? "GetAutomationsLegacy" : "GetEntityAutomations",
            resource: "automation",
            path: entity === undefined ? name : `${entity}/${name}`,
            message: `No automation named ${name}${entity === undefined ? "" : ` in ${entity}`}`,
          }),
        )
        : Effect.fail(
          new InvalidArgumentError({
            argument: "entity",
            value: entity,
            message: `Several automations are named ${name}: name the entity whose you mean`,
          }),
        );
    }),
  );
}

const featureWhat = "This automation's scope or event";

/** Sends a create or an update, refusing first what the server does not support. */
const save = (
  client: WandbClient,
  automation: NewAutomation,
  id: string | undefined,
): Effect.Effect<Automation, RequestError | NotFoundError | InvalidArgumentError> =>
  Effect.gen(function* () {
    const input = yield* automationInput(automation, id);
    const operation = id === undefined ? "CreateAutomation" : "UpdateAutomation";
    for (const feature of featuresNeeded(input)) {
      yield* requireFeature(client.capabilities, feature, operation, featureWhat);
    }
    const shape = shapeOf(yield* client.capabilities);
    const data = yield* client.execute(saveAutomationMutation(shape, input)).pipe(
      Effect.catchIf(
        (e): e is ServerError => e._tag === "ServerError" && (e.status === 409 || e.status === 404),
        (e) =>
          Effect.fail(
            e.status === 409
              ? new InvalidArgumentError({
                argument: "name",
                value: automation.name,
                message: `An automation named ${automation.name} exists in its scope's entity`,
              })
              : new NotFoundError({
                operation,
                resource: "automation",
                path: id ?? automation.name,
                detail: e.detail,
                message: `Automation ${automation.name} not found (deleted, or not yours to see)`,
              }),
          ),
      ),
    );
    const trigger = data.result?.trigger ?? null;
    if (trigger === null) {
      return yield* Effect.fail(
        new NotFoundError({
          operation,
          resource: "automation",
          path: automation.name,
          message: `The server saved no automation ${automation.name}`,
        }),
      );
    }
    return toAutomation(trigger);
  });

/** Options of {@link createAutomation}. */
export interface CreateAutomationOptions {
  /** When the name is taken, return the automation of that name instead of failing. */
  readonly fetchExisting?: boolean | undefined;
}

/**
 * Creates an automation (Python's `api.create_automation(event >> action, name=…)`), checked
 * whole before any request: a bad one is an `InvalidArgumentError` naming the field; a name
 * taken in the entity is one too (or, with `fetchExisting`, the automation of that name).
 *
 * @example
 * ```ts
 * import { createAutomation, projectScope } from "@effect-wandb/api/automations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const onFailure = (client: WandbClient, project: { id: string; name: string }, slack: string) =>
 *   createAutomation(client, {
 *     name: "failed-runs",
 *     event: { _tag: "RunStateEvent", scope: projectScope(project), states: ["failed"] },
 *     action: { _tag: "SendNotification", integrationId: slack, title: "A run failed" },
 *   });
 * ```
 */
export function createAutomation(
  client: WandbClient,
  automation: NewAutomation,
  options?: CreateAutomationOptions,
): Effect.Effect<Automation, RequestError | NotFoundError | InvalidArgumentError> {
  return Effect.flatMap(
    checkNewAutomation(automation),
    (checked) =>
      save(client, checked, undefined).pipe(
        Effect.catchIf(
          (e) =>
            options?.fetchExisting === true && e._tag === "InvalidArgumentError" &&
            e.argument === "name",
          () => getAutomation(client, checked.name),
        ),
      ),
  );
}

/** What {@link updateAutomation} changes: each field given is the value wanted. */
export interface AutomationChanges {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly event?: NewAutomation["event"] | undefined;
  readonly action?: NewAutomation["action"] | undefined;
}

/**
 * Saves changes to an automation (Python's `api.update_automation(automation, **changes)`),
 * returning it as the server now holds it. The changed automation is checked whole first.
 *
 * @example
 * ```ts
 * import { type Automation, updateAutomation } from "@effect-wandb/api/automations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const pause = (client: WandbClient, a: Automation) => updateAutomation(client, a, { enabled: false });
 * ```
 */
export function updateAutomation(
  client: WandbClient,
  automation: Automation,
  changes: AutomationChanges,
): Effect.Effect<Automation, RequestError | NotFoundError | InvalidArgumentError> {
  const changed: NewAutomation = {
    name: changes.name ?? automation.name,
    description: changes.description ?? automation.description ?? undefined,
    enabled: changes.enabled ?? automation.enabled,
    event: changes.event ?? automation.event,
    action: changes.action ?? automation.action,
  };
  return Effect.flatMap(
    checkNewAutomation(changed),
    (checked) => save(client, checked, automation.id),
  );
}

/**
 * Deletes an automation (Python's `api.delete_automation(automation)`), by value or id.
 *
 * @example
 * ```ts
 * import { type Automation, deleteAutomation } from "@effect-wandb/api/automations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const drop = (client: WandbClient, a: Automation) => deleteAutomation(client, a);
 * ```
 */
export function deleteAutomation(
  client: WandbClient,
  automation: Automation | string,
): Effect.Effect<void, RequestError | NotFoundError> {
  const id = typeof automation === "string" ? automation : automation.id;
  const missing = (detail?: string) =>
    new NotFoundError({
      operation: "DeleteAutomation",
      resource: "automation",
      path: id,
      detail,
      message: `Automation ${typeof automation === "string" ? id : automation.name} not found`,
    });
  return client.execute(deleteAutomationMutation(id)).pipe(
    Effect.catchIf(
      (e): e is ServerError => e._tag === "ServerError" && e.status === 404,
      (e) => Effect.fail(missing(e.detail)),
    ),
    Effect.flatMap((data) => data.result?.success === true ? Effect.void : Effect.fail(missing())),
  );
}
