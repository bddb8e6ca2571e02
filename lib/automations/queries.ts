/**
 * The automation requests, as the official client (wandb 0.30) sends them: an entity's
 * automations (`GetEntityAutomations`, W&B Server 0.83 and later), the project walks older
 * servers are read through (`GetEntityAutomationsLegacy`, `GetAutomationsLegacy`), and
 * `CreateAutomation`, `UpdateAutomation`, `DeleteAutomation`. As the official client does, a
 * server without entity scopes or ARIA actions is not sent the fragments on their types (it
 * would reject the whole document).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import {
  fragment,
  type GraphqlDocument,
  type GraphqlRequest,
  operationDocument,
} from "../core/graphql.ts";

/** An automation's scope, as the server sends it. */
export interface TriggerScopeData {
  readonly __typename: string;
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly entityType?: string | null | undefined;
}

/** An integration an action notifies through. */
export interface TriggerIntegrationData {
  readonly __typename: string;
  readonly id: string;
  readonly name?: string | undefined;
  readonly urlEndpoint?: string | undefined;
  readonly teamName?: string | undefined;
  readonly channelName?: string | undefined;
}

/** An automation's action, as the server sends it (its fields by its `__typename`). */
export interface TriggerActionData {
  readonly __typename: string;
  readonly integration?: TriggerIntegrationData | null | undefined;
  readonly title?: string | null | undefined;
  readonly message?: string | null | undefined;
  readonly severity?: string | null | undefined;
  readonly requestPayload?: string | null | undefined;
  readonly noOp?: boolean | null | undefined;
  readonly prompt?: string | undefined;
}

/** An automation node (`TriggerFields`). */
export interface TriggerNodeData {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly name: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly scope: TriggerScopeData | null;
  readonly event: { readonly eventType: string; readonly filter: string };
  readonly action: TriggerActionData;
}

const optional = <A>(s: Schema.Decoder<A>) => Schema.optional(s);

/** Decodes an automation node. */
export const TriggerNode: Schema.Decoder<TriggerNodeData> = Schema.Struct({
  id: Schema.String,
  createdAt: Schema.String,
  updatedAt: Schema.NullOr(Schema.String),
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  enabled: Schema.Boolean,
  scope: Schema.NullOr(Schema.Struct({
    __typename: Schema.String,
    id: optional(Schema.String),
    name: optional(Schema.String),
    entityType: optional(Schema.NullOr(Schema.String)),
  })),
  event: Schema.Struct({ eventType: Schema.String, filter: Schema.String }),
  action: Schema.Struct({
    __typename: Schema.String,
    integration: optional(Schema.NullOr(Schema.Struct({
      __typename: Schema.String,
      id: Schema.String,
      name: optional(Schema.String),
      urlEndpoint: optional(Schema.String),
      teamName: optional(Schema.String),
      channelName: optional(Schema.String),
    }))),
    title: optional(Schema.NullOr(Schema.String)),
    message: optional(Schema.NullOr(Schema.String)),
    severity: optional(Schema.NullOr(Schema.String)),
    requestPayload: optional(Schema.NullOr(Schema.String)),
    noOp: optional(Schema.NullOr(Schema.Boolean)),
    prompt: optional(Schema.String),
  }),
});

/** What the server supports of the types automations' answers are made of. */
export interface TriggerShape {
  /** `AUTOMATION_SCOPE_ENTITY`: the `Entity` scope exists. */
  readonly entityScope: boolean;
  /** `AUTOMATION_ACTION_ARIA`: the `ARIATriggeredAction` type exists. */
  readonly aria: boolean;
}

const pageInfoFields = fragment(`
  fragment PageInfoFields on PageInfo { endCursor hasNextPage }
`);

const shared = [
  fragment(`fragment ProjectScopeFields on Project { __typename id name }`),
  fragment(`fragment ArtifactPortfolioScopeFields on ArtifactPortfolio { __typename id name }`),
  fragment(`fragment ArtifactSequenceScopeFields on ArtifactSequence { __typename id name }`),
  fragment(
    `fragment FilterEventFields on FilterEventTriggeringCondition { __typename eventType filter }`,
  ),
  fragment(
    `fragment SlackIntegrationFields on SlackIntegration { __typename id teamName channelName }`,
  ),
  fragment(
    `fragment WebhookIntegrationFields on GenericWebhookIntegration { __typename id name urlEndpoint }`,
  ),
  fragment(`
    fragment NotificationActionFields on NotificationTriggeredAction {
      __typename integration { ...SlackIntegrationFields } title message severity
    }
  `),
  fragment(`
    fragment GenericWebhookActionFields on GenericWebhookTriggeredAction {
      __typename integration { ...WebhookIntegrationFields } requestPayload
    }
  `),
  fragment(`fragment NoOpActionFields on NoOpTriggeredAction { __typename noOp }`),
];
const entityScopeFields = fragment(
  `fragment EntityScopeFields on Entity { __typename id name entityType }`,
);
const ariaActionFields = fragment(
  `fragment AriaActionFields on ARIATriggeredAction { __typename prompt }`,
);

/** `TriggerFields` for a server's shape (its scopes and actions, as its release has them). */
const triggerFields = (shape: TriggerShape): GraphqlDocument =>
  fragment(
    `
    fragment TriggerFields on Trigger {
      __typename id createdAt updatedAt name description enabled
      scope {
        ...ProjectScopeFields ...ArtifactPortfolioScopeFields ...ArtifactSequenceScopeFields
        ${shape.entityScope ? "...EntityScopeFields" : ""}
      }
      event: triggeringCondition { ...FilterEventFields }
      action: triggeredAction {
        __typename ...NotificationActionFields ...GenericWebhookActionFields ...NoOpActionFields
        ${shape.aria ? "...AriaActionFields" : ""}
      }
    }
  `,
    ...shared,
    ...(shape.entityScope ? [entityScopeFields] : []),
    ...(shape.aria ? [ariaActionFields] : []),
  );

/** A document per server shape, made once each. */
const perShape = (make: (fields: GraphqlDocument) => GraphqlDocument) => {
  const made = new Map<string, GraphqlDocument>();
  return (shape: TriggerShape): GraphqlDocument => {
    const key = `${shape.entityScope}/${shape.aria}`;
    let document = made.get(key);
    if (document === undefined) {
      document = make(triggerFields(shape));
      made.set(key, document);
    }
    return document;
  };
};

/** A connection page. */
export interface PageData<Node> {
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
  readonly edges: ReadonlyArray<{ readonly node: Node }>;
}

const pageOf = <Node>(node: Schema.Decoder<Node>): Schema.Decoder<PageData<Node>> =>
  Schema.Struct({
    pageInfo: Schema.Struct({
      endCursor: Schema.NullOr(Schema.String),
      hasNextPage: Schema.Boolean,
    }),
    edges: Schema.Array(Schema.Struct({ node })),
  });

/** The decoded answer of `GetEntityAutomations`. */
export type EntityAutomationsData = {
  readonly scope: { readonly triggers: PageData<TriggerNodeData> | null } | null;
};

const entityAutomations = perShape((fields) =>
  operationDocument(
    `
    query GetEntityAutomations($entity: String!, $cursor: String, $perPage: Int, $order: String, $filters: JSONString) {
      scope: entity(name: $entity) {
        triggers(after: $cursor, first: $perPage, order: $order, filters: $filters) {
          pageInfo { ...PageInfoFields }
          edges { node { ...TriggerFields } }
        }
      }
    }
  `,
    pageInfoFields,
    fields,
  )
);

/**
 * `GetEntityAutomations`: a page of an entity's automations, filtered (Mongo-style, over `name`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entityAutomationsQuery } from "@effect-wandb/api/automations";
 * const r = entityAutomationsQuery({ entityScope: true, aria: true }, "acme", '{"name":"nightly"}', 50, null);
 * assert.ok(r.operation === "GetEntityAutomations");
 * ```
 */
export function entityAutomationsQuery(
  shape: TriggerShape,
  entity: string,
  filters: string | null,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<EntityAutomationsData> {
  return {
    operation: "GetEntityAutomations",
    document: entityAutomations(shape),
    variables: { entity, cursor, perPage, order: null, filters },
    decoder: Schema.Struct({
      scope: Schema.NullOr(Schema.Struct({ triggers: Schema.NullOr(pageOf(TriggerNode)) })),
    }),
  };
}

/** The decoded answer of the project walks (`GetEntityAutomationsLegacy`, `GetAutomationsLegacy`). */
export type ProjectAutomationsData = {
  readonly scope: {
    readonly projects: PageData<{ readonly triggers: ReadonlyArray<TriggerNodeData> }> | null;
  } | null;
};

const projectWalk = (operation: string, header: string, root: string) =>
  perShape((fields) =>
    operationDocument(
      `
      query ${operation}(${header}) {
        scope: ${root} {
          projects(after: $cursor, first: $perPage) {
            pageInfo { ...PageInfoFields }
            edges { node { ...ProjectTriggersFields } }
          }
        }
      }
    `,
      pageInfoFields,
      fragment(
        `fragment ProjectTriggersFields on Project { __typename triggers { ...TriggerFields } }`,
        fields,
      ),
    )
  );

const entityWalk = projectWalk(
  "GetEntityAutomationsLegacy",
  "$entity: String!, $cursor: String, $perPage: Int",
  "entity(name: $entity)",
);
const viewerWalk = projectWalk("GetAutomationsLegacy", "$cursor: String, $perPage: Int", "viewer");

/**
 * A page of projects with their automations: an entity's (`GetEntityAutomationsLegacy`), or,
 * without one, every project the viewer belongs to (`GetAutomationsLegacy`). What servers older
 * than 0.83, which cannot list an entity's automations, are read through.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectAutomationsQuery } from "@effect-wandb/api/automations";
 * const r = projectAutomationsQuery({ entityScope: false, aria: false }, undefined, 50, null);
 * assert.ok(r.operation === "GetAutomationsLegacy");
 * ```
 */
export function projectAutomationsQuery(
  shape: TriggerShape,
  entity: string | undefined,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ProjectAutomationsData> {
  const decoder = Schema.Struct({
    scope: Schema.NullOr(Schema.Struct({
      projects: Schema.NullOr(pageOf(Schema.Struct({ triggers: Schema.Array(TriggerNode) }))),
    })),
  });
  return entity === undefined
    ? {
      operation: "GetAutomationsLegacy",
      document: viewerWalk(shape),
      variables: { cursor, perPage },
      decoder,
    }
    : {
      operation: "GetEntityAutomationsLegacy",
      document: entityWalk(shape),
      variables: { entity, cursor, perPage },
      decoder,
    };
}

/** `CreateFilterTriggerInput` / `UpdateFilterTriggerInput`, as the official client fills it. */
export interface TriggerInput {
  readonly id?: string | undefined;
  readonly name: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly scopeType: "PROJECT" | "ARTIFACT_COLLECTION" | "ENTITY";
  readonly scopeID: string;
  readonly triggeringEventType: string;
  readonly eventFilter: string;
  readonly triggeredActionType: string;
  readonly triggeredActionConfig: Readonly<Record<string, unknown>>;
}

/** The decoded answer of `CreateAutomation` and `UpdateAutomation`. */
export type SavedTriggerData = {
  readonly result: { readonly trigger: TriggerNodeData | null } | null;
};

const createAutomation = perShape((fields) =>
  operationDocument(
    `
    mutation CreateAutomation($input: CreateFilterTriggerInput!) {
      result: createFilterTrigger(input: $input) { trigger { ...TriggerFields } }
    }
  `,
    fields,
  )
);

const updateAutomation = perShape((fields) =>
  operationDocument(
    `
    mutation UpdateAutomation($input: UpdateFilterTriggerInput!) {
      result: updateFilterTrigger(input: $input) { trigger { ...TriggerFields } }
    }
  `,
    fields,
  )
);

const savedDecoder = Schema.Struct({
  result: Schema.NullOr(Schema.Struct({ trigger: Schema.NullOr(TriggerNode) })),
});

/**
 * `CreateAutomation` (with no `id` in the input) or `UpdateAutomation` (with one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { saveAutomationMutation } from "@effect-wandb/api/automations";
 * const r = saveAutomationMutation({ entityScope: true, aria: true }, {
 *   name: "quiet",
 *   description: null,
 *   enabled: true,
 *   scopeType: "PROJECT",
 *   scopeID: "UHJvamVjdDox",
 *   triggeringEventType: "LINK_MODEL",
 *   eventFilter: '{"$or":[{"$and":[]}]}',
 *   triggeredActionType: "NO_OP",
 *   triggeredActionConfig: { noOpActionInput: { noOp: true } },
 * });
 * assert.ok(r.operation === "CreateAutomation");
 * ```
 */
export function saveAutomationMutation(
  shape: TriggerShape,
  input: TriggerInput,
): GraphqlRequest<SavedTriggerData> {
  return input.id === undefined
    ? {
      operation: "CreateAutomation",
      document: createAutomation(shape),
      variables: { input },
      decoder: savedDecoder,
    }
    : {
      operation: "UpdateAutomation",
      document: updateAutomation(shape),
      variables: { input },
      decoder: savedDecoder,
    };
}

const deleteAutomationDocument = operationDocument(`
  mutation DeleteAutomation($id: ID!) {
    result: deleteTrigger(input: { triggerID: $id }) { success }
  }
`);

/** The decoded answer of `DeleteAutomation`. */
export type DeletedTriggerData = { readonly result: { readonly success: boolean } | null };

/**
 * `DeleteAutomation`: deletes an automation by id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteAutomationMutation } from "@effect-wandb/api/automations";
 * assert.ok(deleteAutomationMutation("VHJpZ2dlcjox").operation === "DeleteAutomation");
 * ```
 */
export function deleteAutomationMutation(id: string): GraphqlRequest<DeletedTriggerData> {
  return {
    operation: "DeleteAutomation",
    document: deleteAutomationDocument,
    variables: { id },
    decoder: Schema.Struct({ result: Schema.NullOr(Schema.Struct({ success: Schema.Boolean })) }),
  };
}
