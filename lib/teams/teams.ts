/**
 * Teams: the official client's `GetTeamEntity`, `CreateTeam`, `CreateInvite`, `DeleteInvite`
 * and `CreateServiceAccount` (Python's `api.team`, `api.create_team`, `team.invite`,
 * `team.create_service_account`, `member.delete`). Mutations return the value the server now
 * holds.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import { InvalidArgumentError, NotFoundError, type RequestError } from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { WandbClient } from "../core/transport.ts";
import { checkWho, ResultSuccess, type ResultSuccessData } from "../users/users.ts";

/** A member of a team (Python's `Member`). */
export interface TeamMember {
  readonly id: string;
  readonly username: string | null;
  readonly name: string;
  readonly email: string | null;
  /** `admin` or `member`. */
  readonly role: "admin" | "member";
  readonly pending: boolean;
  /** `USER`, or `SERVICE` for a service account. */
  readonly accountType: string;
}

/** A team (Python's `Team`). */
export interface Team {
  readonly id: string;
  readonly name: string;
  readonly isTeam: boolean;
  readonly members: ReadonlyArray<TeamMember>;
}

/** A team entity as `GetTeamEntity` selects it (the fields read). */
export interface TeamEntityNodeData {
  readonly id: string;
  readonly name: string;
  readonly isTeam: boolean;
  readonly members: ReadonlyArray<{
    readonly id: string | null;
    readonly admin: boolean | null;
    readonly pending: boolean | null;
    readonly email: string | null;
    readonly username: string | null;
    readonly name: string;
    readonly accountType: string | null;
  }>;
}

const TeamEntity: Schema.Decoder<TeamEntityNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  isTeam: Schema.Boolean,
  members: Schema.Array(Schema.Struct({
    id: Schema.NullOr(Schema.String),
    admin: Schema.NullOr(Schema.Boolean),
    pending: Schema.NullOr(Schema.Boolean),
    email: Schema.NullOr(Schema.String),
    username: Schema.NullOr(Schema.String),
    name: Schema.String,
    accountType: Schema.NullOr(Schema.String),
  })),
});

/** The decoded answer of `GetTeamEntity`. */
export interface TeamEntityData {
  readonly entity: TeamEntityNodeData | null;
}

const teamDocument = operationDocument(`
  query GetTeamEntity($name: String!) {
    entity(name: $name) {
      id name available photoUrl readOnly readOnlyAdmin isTeam privateOnly storageBytes
      codeSavingEnabled defaultAccess isPaid
      members { id admin pending email username name photoUrl accountType apiKey }
    }
  }
`);

/**
 * `GetTeamEntity`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { teamQuery } from "@effect-wandb/api/graphql";
 * assert.ok(teamQuery("acme").variables.name === "acme");
 * ```
 */
export function teamQuery(name: string): GraphqlRequest<TeamEntityData> {
  return {
    operation: "GetTeamEntity",
    document: teamDocument,
    variables: { name },
    decoder: Schema.Struct({ entity: Schema.NullOr(TeamEntity) }),
  };
}

/**
 * A team and its members with their roles (Python's `api.team(name)`); `NotFoundError` naming
 * it when there is none.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getTeam } from "@effect-wandb/api/teams";
 * const acme = (client: WandbClient) => getTeam(client, "acme");
 * ```
 */
export function getTeam(
  client: WandbClient,
  name: string,
): Effect.Effect<Team, RequestError | NotFoundError> {
  return client.execute(teamQuery(name)).pipe(
    Effect.flatMap((data) =>
      data.entity === null
        ? Effect.fail(
          new NotFoundError({
            operation: "GetTeamEntity",
            resource: "team",
            path: name,
            message: `Could not find team ${name}`,
          }),
        )
        : Effect.succeed({
          id: data.entity.id,
          name: data.entity.name,
          isTeam: data.entity.isTeam,
          members: data.entity.members.map((m) => ({
            id: m.id ?? "",
            username: m.username,
            name: m.name,
            email: m.email,
            role: m.admin === true ? "admin" as const : "member" as const,
            pending: m.pending ?? false,
            accountType: m.accountType ?? "USER",
          })),
        })
    ),
  );
}

const createTeamDocument = operationDocument(`
  mutation CreateTeam($teamName: String!, $teamAdminUserName: String) {
    result: createTeam(input: {teamName: $teamName, teamAdminUserName: $teamAdminUserName}) {
      entity { id name available photoUrl limits }
    }
  }
`);

/**
 * `CreateTeam`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTeamMutation } from "@effect-wandb/api/graphql";
 * assert.ok(createTeamMutation("new-team", null).operation === "CreateTeam");
 * ```
 */
export function createTeamMutation(
  name: string,
  adminUsername: string | null,
): GraphqlRequest<{ readonly result: unknown }> {
  return {
    operation: "CreateTeam",
    document: createTeamDocument,
    variables: { teamName: name, teamAdminUserName: adminUsername },
    decoder: Schema.Struct({ result: Schema.Unknown }),
  };
}

const teamNamePattern = /^[-\w]+$/;

/**
 * Creates a team (Python's `api.create_team(name, admin_username)`), administered by
 * `adminUsername` or the key's own user; returns it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createTeam } from "@effect-wandb/api/teams";
 * const found = (client: WandbClient) => createTeam(client, "research");
 * ```
 */
export function createTeam(
  client: WandbClient,
  name: string,
  options?: { readonly adminUsername?: string | undefined },
): Effect.Effect<Team, RequestError | NotFoundError | InvalidArgumentError> {
  if (!teamNamePattern.test(name)) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "name",
        value: name,
        message: "A team name holds letters, digits, '-' and '_'",
      }),
    );
  }
  return client.execute(createTeamMutation(name, options?.adminUsername ?? null)).pipe(
    Effect.flatMap(() => getTeam(client, name)),
  );
}

const inviteDocument = operationDocument(`
  mutation CreateInvite($entity: String!, $email: String, $username: String, $admin: Boolean) {
    result: createInvite(input: {entityName: $entity, email: $email, username: $username, admin: $admin}) {
      invite { id name email createdAt toUser { name } }
    }
  }
`);

/**
 * `CreateInvite` (by e-mail when `usernameOrEmail` holds an `@`, by username otherwise).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inviteMutation } from "@effect-wandb/api/graphql";
 * assert.ok(inviteMutation("acme", "dan@x.io", false).variables.email === "dan@x.io");
 * ```
 */
export function inviteMutation(
  team: string,
  usernameOrEmail: string,
  admin: boolean,
): GraphqlRequest<{ readonly result: unknown }> {
  const byEmail = usernameOrEmail.includes("@");
  return {
    operation: "CreateInvite",
    document: inviteDocument,
    variables: {
      entity: team,
      email: byEmail ? usernameOrEmail : null,
      username: byEmail ? null : usernameOrEmail,
      admin,
    },
    decoder: Schema.Struct({ result: Schema.Unknown }),
  };
}

/**
 * Invites a user into a team (Python's `team.invite(username_or_email, admin)`; team admins
 * only); returns the team as it now is.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { inviteToTeam } from "@effect-wandb/api/teams";
 * const add = (client: WandbClient) => inviteToTeam(client, "acme", "carol", { admin: false });
 * ```
 */
export function inviteToTeam(
  client: WandbClient,
  team: string,
  usernameOrEmail: string,
  options?: { readonly admin?: boolean | undefined },
): Effect.Effect<Team, RequestError | NotFoundError | InvalidArgumentError> {
  return checkWho("usernameOrEmail", usernameOrEmail).pipe(
    Effect.flatMap(() =>
      client.execute(inviteMutation(team, usernameOrEmail, options?.admin ?? false))
    ),
    Effect.flatMap(() => getTeam(client, team)),
  );
}

const deleteInviteDocument = operationDocument(`
  mutation DeleteInvite($id: String, $entity: String) {
    result: deleteInvite(input: {id: $id, entityName: $entity}) { success }
  }
`);

/**
 * `DeleteInvite`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteInviteMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteInviteMutation("acme", "VXNlcjoy").operation === "DeleteInvite");
 * ```
 */
export function deleteInviteMutation(
  team: string,
  memberId: string,
): GraphqlRequest<ResultSuccessData> {
  return {
    operation: "DeleteInvite",
    document: deleteInviteDocument,
    variables: { id: memberId, entity: team },
    decoder: ResultSuccess,
  };
}

/**
 * Removes a member from a team (Python's `member.delete()`; team admins only); returns the team
 * as it now is.
 *
 * @example
 * ```ts
 * import { type TeamMember } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { removeTeamMember } from "@effect-wandb/api/teams";
 * const drop = (client: WandbClient, m: TeamMember) => removeTeamMember(client, "acme", m);
 * ```
 */
export function removeTeamMember(
  client: WandbClient,
  team: string,
  member: Pick<TeamMember, "id">,
): Effect.Effect<Team, RequestError | NotFoundError> {
  return client.execute(deleteInviteMutation(team, member.id)).pipe(
    Effect.flatMap(() => getTeam(client, team)),
  );
}

const serviceAccountDocument = operationDocument(`
  mutation CreateServiceAccount($entity: String!, $description: String!) {
    result: createServiceAccount(input: {description: $description, entityName: $entity}) { user { id } }
  }
`);

/** The decoded answer of `CreateServiceAccount`. */
export interface ServiceAccountData {
  readonly result: { readonly user: { readonly id: string } | null } | null;
}

/**
 * `CreateServiceAccount`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serviceAccountMutation } from "@effect-wandb/api/graphql";
 * assert.ok(serviceAccountMutation("acme", "CI").variables.description === "CI");
 * ```
 */
export function serviceAccountMutation(
  team: string,
  description: string,
): GraphqlRequest<ServiceAccountData> {
  return {
    operation: "CreateServiceAccount",
    document: serviceAccountDocument,
    variables: { entity: team, description },
    decoder: Schema.Struct({
      result: Schema.NullOr(Schema.Struct({
        user: Schema.NullOr(Schema.Struct({ id: Schema.String })),
      })),
    }),
  };
}

/**
 * Creates a service account in a team (Python's `team.create_service_account(description)`;
 * team admins only) and returns it as a member of the team.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createServiceAccount } from "@effect-wandb/api/teams";
 * const bot = (client: WandbClient) => createServiceAccount(client, "acme", "nightly export");
 * ```
 */
export function createServiceAccount(
  client: WandbClient,
  team: string,
  description: string,
): Effect.Effect<TeamMember, RequestError | NotFoundError | InvalidArgumentError> {
  if (description.trim().length === 0) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "description",
        value: description,
        message: "Describe the service account",
      }),
    );
  }
  return client.execute(serviceAccountMutation(team, description)).pipe(
    Effect.flatMap((data) =>
      Effect.flatMap(getTeam(client, team), (t) => {
        const member = t.members.find((m) => m.id === data.result?.user?.id);
        return member === undefined
          ? Effect.fail(
            new NotFoundError({
              operation: "CreateServiceAccount",
              resource: "service account",
              path: team,
              message: `The new service account of ${team} is not among its members`,
            }),
          )
          : Effect.succeed(member);
      })
    ),
  );
}
