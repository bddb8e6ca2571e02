/**
 * The viewer (the user the API key belongs to) and the default entity.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import type { RequestError } from "../core/errors.ts";
import { AuthenticationError } from "../core/errors.ts";
import { type GraphqlDocument, type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { WandbClient } from "../core/transport.ts";

/** A W&B user, as the viewer query returns it. API keys are never requested. */
export interface User {
  /** The user's storage id. */
  readonly id: string;
  /** Display name. */
  readonly name: string | null;
  /** Login name. */
  readonly username: string | null;
  /** E-mail, when the server shows it. */
  readonly email: string | null;
  /** Whether the user is an instance admin. */
  readonly admin: boolean;
  /** The user's default entity. */
  readonly entity: string | null;
  /** The teams the user belongs to. */
  readonly teams: ReadonlyArray<string>;
}

/** The decoded answer of `GetViewer`. */
export interface ViewerData {
  readonly viewer: {
    readonly id: string;
    readonly name: string | null;
    readonly username: string | null;
    readonly email?: string | null | undefined;
    readonly admin?: boolean | null | undefined;
    readonly entity: string | null;
    readonly teams?:
      | {
        readonly edges: ReadonlyArray<{ readonly node: { readonly name: string } }>;
      }
      | null
      | undefined;
  } | null;
}

const ViewerData: Schema.Decoder<ViewerData> = Schema.Struct({
  viewer: Schema.NullOr(Schema.Struct({
    id: Schema.String,
    name: Schema.NullOr(Schema.String),
    username: Schema.NullOr(Schema.String),
    email: Schema.optional(Schema.NullOr(Schema.String)),
    admin: Schema.optional(Schema.NullOr(Schema.Boolean)),
    entity: Schema.NullOr(Schema.String),
    teams: Schema.optional(Schema.NullOr(Schema.Struct({
      edges: Schema.Array(Schema.Struct({ node: Schema.Struct({ name: Schema.String }) })),
    }))),
  })),
});

const viewerDocument: GraphqlDocument = operationDocument(`
  query GetViewer {
    viewer { id name username email admin entity teams { edges { node { name } } } }
  }
`);

/**
 * The `GetViewer` request (the official client's operation, without `apiKeys`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { viewerQuery } from "@effect-wandb/api/graphql";
 * assert.ok(viewerQuery().operation === "GetViewer");
 * ```
 */
export function viewerQuery(): GraphqlRequest<ViewerData> {
  return { operation: "GetViewer", document: viewerDocument, variables: {}, decoder: ViewerData };
}

/** The decoded answer of `GetDefaultEntity`. */
export interface DefaultEntityData {
  readonly viewer: { readonly id: string; readonly entity: string | null } | null;
}

const DefaultEntityData: Schema.Decoder<DefaultEntityData> = Schema.Struct({
  viewer: Schema.NullOr(Schema.Struct({ id: Schema.String, entity: Schema.NullOr(Schema.String) })),
});

const defaultEntityDocument = operationDocument(`query GetDefaultEntity { viewer { id entity } }`);

/**
 * The `GetDefaultEntity` request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultEntityQuery } from "@effect-wandb/api/graphql";
 * assert.ok(defaultEntityQuery().operation === "GetDefaultEntity");
 * ```
 */
export function defaultEntityQuery(): GraphqlRequest<DefaultEntityData> {
  return {
    operation: "GetDefaultEntity",
    document: defaultEntityDocument,
    variables: {},
    decoder: DefaultEntityData,
  };
}

// W&B answers `viewer: null` (not 401) for a key it does not know in some deployments; the
// official client raises AuthenticationError for it, and so do we.
const noViewer = (operation: string) =>
  new AuthenticationError({
    operation,
    status: 200,
    message: "The server does not know the API key (viewer is null)",
  });

/**
 * Fetches the user the API key belongs to.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getViewer } from "@effect-wandb/api/viewer";
 * const username = (client: WandbClient) => getViewer(client).pipe(Effect.map((u) => u.username));
 * ```
 */
export function getViewer(client: WandbClient): Effect.Effect<User, RequestError> {
  return client.execute(viewerQuery()).pipe(
    Effect.flatMap(({ viewer }) =>
      viewer === null ? Effect.fail(noViewer("GetViewer")) : Effect.succeed({
        id: viewer.id,
        name: viewer.name,
        username: viewer.username,
        email: viewer.email ?? null,
        admin: viewer.admin ?? false,
        entity: viewer.entity,
        teams: viewer.teams?.edges.map((e) => e.node.name) ?? [],
      })
    ),
  );
}

/**
 * Fetches the viewer's default entity (Python's `Api.default_entity`).
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getDefaultEntity } from "@effect-wandb/api/viewer";
 * const entity = (client: WandbClient) => getDefaultEntity(client);
 * ```
 */
export function getDefaultEntity(client: WandbClient): Effect.Effect<string, RequestError> {
  return client.execute(defaultEntityQuery()).pipe(
    Effect.flatMap(({ viewer }) => {
      if (viewer === null) return Effect.fail(noViewer("GetDefaultEntity"));
      if (viewer.entity === null) {
        return Effect.fail(
          new AuthenticationError({
            operation: "GetDefaultEntity",
            status: 200,
            message: "The viewer has no default entity: name the entity in the path",
          }),
        );
      }
      return Effect.succeed(viewer.entity);
    }),
  );
}
