/**
 * The local server's SDL of automations (W&B's triggers), as the official client reads, creates,
 * changes and deletes them (`GetEntityAutomations`, the project walks of older servers,
 * `CreateAutomation`, `UpdateAutomation`, `DeleteAutomation`). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of automations. */
export const automationsSdl: string = /* GraphQL */ `
extend type Entity {
  triggers(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): TriggerConnection
}

extend type Project {
  triggers: [Trigger!]!
}

extend type User {
  projects(after: String, first: Int, before: String, last: Int): ProjectConnection
}

extend type Mutation {
  createFilterTrigger(input: CreateFilterTriggerInput!): TriggerPayload
  updateFilterTrigger(input: UpdateFilterTriggerInput!): TriggerPayload
  deleteTrigger(input: DeleteTriggerInput!): DeleteTriggerPayload
}

type Trigger implements Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime
  name: String!
  description: String
  enabled: Boolean!
  createdBy: User!
  scope: TriggerScope!
  triggeringCondition: TriggeringCondition!
  triggeredAction: TriggeredAction!
}

union TriggerScope = Project | ArtifactSequence | ArtifactPortfolio | Entity

union TriggeringCondition = FilterEventTriggeringCondition

type FilterEventTriggeringCondition {
  eventType: EventTriggeringConditionType!
  filter: JSONString!
}

union TriggeredAction = QueueJobTriggeredAction | NotificationTriggeredAction | GenericWebhookTriggeredAction | NoOpTriggeredAction | ARIATriggeredAction

type QueueJobTriggeredAction {
  queue: RunQueue
  template: JSONString!
}

type NotificationTriggeredAction {
  integration: Integration!
  title: String
  message: String
  severity: AlertSeverity
}

type GenericWebhookTriggeredAction {
  integration: Integration!
  requestPayload: JSONString
}

type NoOpTriggeredAction {
  noOp: Boolean
}

type ARIATriggeredAction {
  prompt: String!
}

type TriggerConnection {
  pageInfo: PageInfo!
  edges: [TriggerEdge!]!
}

type TriggerEdge {
  node: Trigger!
  cursor: String!
}

enum EventTriggeringConditionType {
  UPDATE_ARTIFACT_ALIAS
  CREATE_ARTIFACT
  ADD_ARTIFACT_ALIAS
  ADD_ARTIFACT_TAG
  REMOVE_ARTIFACT_TAG
  ADD_COLLECTION_TAG
  REMOVE_COLLECTION_TAG
  LINK_MODEL
  UNLINK_ARTIFACT
  RUN_METRIC
  RUN_METRIC_CHANGE
  RUN_METRIC_ZSCORE
  RUN_STATE
  WEAVE_METRIC_THRESHOLD
}

enum TriggerScopeType {
  PROJECT
  ARTIFACT_COLLECTION
  ENTITY
}

enum TriggeredActionType {
  QUEUE_JOB
  NOTIFICATION
  GENERIC_WEBHOOK
  NO_OP
  PUSH_NOTIFICATION
  ARIA
}

enum AlertSeverity {
  INFO
  WARN
  ERROR
}

input CreateFilterTriggerInput {
  name: String!
  description: String
  triggeringEventType: EventTriggeringConditionType!
  scopeType: TriggerScopeType!
  scopeID: ID!
  eventFilter: JSONString!
  triggeredActionType: TriggeredActionType!
  triggeredActionConfig: TriggeredActionConfig!
  enabled: Boolean!
  clientMutationId: String
}

input UpdateFilterTriggerInput {
  id: ID!
  name: String
  description: String
  triggeringEventType: EventTriggeringConditionType
  scopeType: TriggerScopeType
  scopeID: ID
  eventFilter: JSONString
  triggeredActionType: TriggeredActionType
  triggeredActionConfig: TriggeredActionConfig
  enabled: Boolean
  clientMutationId: String
}

input TriggeredActionConfig {
  queueJobActionInput: QueueJobActionInput
  notificationActionInput: NotificationActionInput
  genericWebhookActionInput: GenericWebhookActionInput
  noOpActionInput: NoOpTriggeredActionInput
  pushNotificationActionInput: PushNotificationActionInput
  ariaActionInput: ARIAActionInput
}

input QueueJobActionInput {
  queueID: ID!
  template: JSONString!
}

input NotificationActionInput {
  integrationID: ID!
  title: String
  message: String
  severity: AlertSeverity
}

input GenericWebhookActionInput {
  integrationID: ID!
  requestPayload: JSONString
}

input NoOpTriggeredActionInput {
  noOp: Boolean
}

input PushNotificationActionInput {
  userID: ID!
  title: String
  body: String
}

input ARIAActionInput {
  prompt: String!
}

input DeleteTriggerInput {
  triggerID: ID!
  clientMutationId: String
}

type TriggerPayload {
  trigger: Trigger
  clientMutationId: String
}

type DeleteTriggerPayload {
  success: Boolean!
  clientMutationId: String
}
`;
