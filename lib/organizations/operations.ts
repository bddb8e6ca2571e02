/**
 * Organizations (Python's `api.organization(name)`): an organization and its org entity, where
 * its registries live. Without a name, the organization of the default entity, as the official
 * client finds it (a team's organization, or the single one a user belongs to).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import { InvalidArgumentError, NotFoundError, type RequestError } from "../core/errors.ts";
import { fragment, type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { WandbClient } from "../core/transport.ts";

/** An organization (Python's `Organization`). */
export interface Organization {
  readonly id: string;
  readonly name: string;
  /** The entity its registries belong to. */
  readonly orgEntity: {
    readonly id: string;
    readonly name: string;
    readonly entityType: string | null;
  } | null;
}

const orgDocument = operationDocument(`
  query FetchOrganization($org: String!) {
    organization(name: $org) { id name orgEntity { __typename id name entityType } }
  }
`);

const orgInfoFragment = fragment(`
  fragment OrgInfoFragment on Organization { name orgEntity { name } }
`);

const orgInfoDocument = operationDocument(
  `
  query FetchOrgInfoFromEntity($entity: String!) {
    entity(name: $entity) {
      organization { ...OrgInfoFragment }
      user { organizations { ...OrgInfoFragment } }
    }
  }
`,
  orgInfoFragment,
);

const OrganizationNode = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  orgEntity: Schema.NullOr(Schema.Struct({
    id: Schema.String,
    name: Schema.String,
    entityType: Schema.NullOr(Schema.String),
  })),
});

/**
 * `FetchOrganization`, as the official client sends it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { organizationQuery } from "@effect-wandb/api/organizations";
 * assert.ok(organizationQuery("acme-corp").variables.org === "acme-corp");
 * ```
 */
export function organizationQuery(
  name: string,
): GraphqlRequest<{ readonly organization: Organization | null }> {
  return {
    operation: "FetchOrganization",
    document: orgDocument,
    variables: { org: name },
    decoder: Schema.Struct({ organization: Schema.NullOr(OrganizationNode) }),
  };
}

const OrgInfoNode = Schema.Struct({
  name: Schema.String,
  orgEntity: Schema.NullOr(Schema.Struct({ name: Schema.String })),
});

/** An organization's name and org entity, as `FetchOrgInfoFromEntity` gives them. */
export interface OrgInfo {
  readonly name: string;
  readonly orgEntity: { readonly name: string } | null;
}

/** The decoded answer of `FetchOrgInfoFromEntity`. */
export type OrgInfoData = {
  readonly entity: {
    readonly organization: OrgInfo | null;
    readonly user: { readonly organizations: ReadonlyArray<OrgInfo> } | null;
  } | null;
};

/**
 * `FetchOrgInfoFromEntity`: the organizations an entity belongs to (a team's one, or a user's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { orgInfoQuery } from "@effect-wandb/api/organizations";
 * assert.ok(orgInfoQuery("acme").operation === "FetchOrgInfoFromEntity");
 * ```
 */
export function orgInfoQuery(entity: string): GraphqlRequest<OrgInfoData> {
  return {
    operation: "FetchOrgInfoFromEntity",
    document: orgInfoDocument,
    variables: { entity },
    decoder: Schema.Struct({
      entity: Schema.NullOr(Schema.Struct({
        organization: Schema.NullOr(OrgInfoNode),
        user: Schema.NullOr(Schema.Struct({ organizations: Schema.Array(OrgInfoNode) })),
      })),
    }),
  };
}

/**
 * The name of the organization `entity` belongs to: a team's, or the only one a user is in. A
 * user in several organizations must name one (an `InvalidArgumentError` lists them).
 *
 * @example
 * ```ts
 * import { organizationOfEntity } from "@effect-wandb/api/organizations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const org = (client: WandbClient) => organizationOfEntity(client, "acme");
 * ```
 */
export function organizationOfEntity(
  client: WandbClient,
  entity: string,
): Effect.Effect<string, RequestError | NotFoundError | InvalidArgumentError> {
  return client.execute(orgInfoQuery(entity)).pipe(
    Effect.flatMap((data) => {
      const team = data.entity?.organization;
      if (team !== null && team !== undefined) return Effect.succeed(team.name);
      const orgs = data.entity?.user?.organizations ?? [];
      if (orgs.length === 1) return Effect.succeed(orgs[0]!.name);
      return Effect.fail(
        orgs.length === 0
          ? new NotFoundError({
            operation: "FetchOrgInfoFromEntity",
            resource: "organization",
            path: entity,
            message: `Entity ${entity} belongs to no organization`,
          })
          : new InvalidArgumentError({
            argument: "organization",
            message: `Entity ${entity} belongs to ${orgs.length} organizations (${
              orgs.map((o) => o.name).join(", ")
            }): name one`,
          }),
      );
    }),
  );
}

/**
 * An organization by name (Python's `api.organization(name)`).
 *
 * @example
 * ```ts
 * import { getOrganization } from "@effect-wandb/api/organizations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const org = (client: WandbClient) => getOrganization(client, "acme-corp");
 * ```
 */
export function getOrganization(
  client: WandbClient,
  name: string,
): Effect.Effect<Organization, RequestError | NotFoundError> {
  return client.execute(organizationQuery(name)).pipe(
    Effect.flatMap((data) =>
      data.organization === null
        ? Effect.fail(
          new NotFoundError({
            operation: "FetchOrganization",
            resource: "organization",
            path: name,
            message: `Organization ${name} not found (or you are not in it)`,
          }),
        )
        : Effect.succeed(data.organization)
    ),
  );
}
