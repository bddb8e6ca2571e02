/**
 * Automations: an event in a scope (a project, a registry, an artifact collection, a team or
 * organization) that fires an action (a Slack notification, a webhook). Python's
 * `api.automations()`, `automation()`, `create_automation()`, `update_automation()` and
 * `delete_automation()`, with events and actions as tagged values checked before any request.
 *
 * Everything here is also reachable through the `Api` (its `AutomationsApi` slice); import this
 * entry for the value types, the scope constructors, the functions over a `WandbClient` and the
 * query builders.
 *
 * @example Tell Slack when a run of a project fails
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { Api } from "@effect-wandb/api";
 * import { projectScope } from "@effect-wandb/api/automations";
 * const alertOnFailure = Effect.gen(function* () {
 *   const api = yield* Api;
 *   const project = yield* api.project("mnist", "acme");
 *   const [slack] = yield* Stream.runCollect(api.slackIntegrations("acme"));
 *   return yield* api.createAutomation({
 *     name: "failed-runs",
 *     event: { _tag: "RunStateEvent", scope: projectScope(project), states: ["failed"] },
 *     action: { _tag: "SendNotification", integrationId: slack!.id, title: "A run failed" },
 *   });
 * });
 * ```
 *
 * @module
 */
export { type AutomationsApi, automationsApi } from "./api.ts";
export {
  type ArtifactEventType,
  type Automation,
  type AutomationAction,
  type AutomationEvent,
  type AutomationScope,
  checkNewAutomation,
  type MetricAggregation,
  type MetricCondition,
  type MetricDirection,
  type NewAutomation,
  type NotificationSeverity,
  type RunStateName,
} from "./model.ts";
export { automationInput, featuresNeeded, toAutomation } from "./wire.ts";
export {
  type AutomationChanges,
  type AutomationsOptions,
  collectionScope,
  createAutomation,
  type CreateAutomationOptions,
  deleteAutomation,
  entityScope,
  getAutomation,
  listAutomations,
  projectScope,
  registryScope,
  updateAutomation,
} from "./operations.ts";
export {
  deleteAutomationMutation,
  type DeletedTriggerData,
  type EntityAutomationsData,
  entityAutomationsQuery,
  type PageData,
  type ProjectAutomationsData,
  projectAutomationsQuery,
  saveAutomationMutation,
  type SavedTriggerData,
  type TriggerActionData,
  type TriggerInput,
  type TriggerIntegrationData,
  TriggerNode,
  type TriggerNodeData,
  type TriggerScopeData,
  type TriggerShape,
} from "./queries.ts";
