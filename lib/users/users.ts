/**
 * Users and API keys: the official client's `SearchUsers`, `CreateUserFromAdmin`,
 * `GenerateApiKey` and `DeleteApiKey` (Python's `api.user`, `api.users`, `api.create_user`,
 * `user.generate_api_key`, `user.delete_api_key`). Mutations return the value the server now
 * holds; a generated key is handed out `Redacted`. Teams are in `lib/teams/`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Redacted from "effect/Redacted";
import * as Schema from "effect/Schema";
import { InvalidArgumentError, NotFoundError, type RequestError } from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { WandbClient } from "../core/transport.ts";

/** An API key as listed (the key itself is not: W&B shows it once, when it is made). */
export interface ApiKeyInfo {
  readonly id: string;
  /** What W&B lists as the key's name (a prefix of it, at most). */
  readonly name: string;
  readonly description: string | null;
}

/** A user as `UserFragment` selects it (Python's `User`). */
export interface UserAccount {
  readonly id: string;
  readonly username: string | null;
  readonly name: string | null;
  readonly email: string | null;
  /** Whether the user is an instance admin. */
  readonly admin: boolean;
  /** The user's own entity. */
  readonly entity: string | null;
  readonly deletedAt: string | null;
  /** The teams the user belongs to. */
  readonly teams: ReadonlyArray<string>;
  /** Their API keys (listed to their owner only). */
  readonly apiKeys: ReadonlyArray<ApiKeyInfo>;
}

/** A user node as `UserFragment` selects it. */
export interface UserNodeData {
  readonly id: string;
  readonly name: string | null;
  readonly username: string | null;
  readonly email: string | null;
  readonly admin: boolean | null;
  readonly entity: string | null;
  readonly deletedAt: string | null;
  readonly apiKeys: {
    readonly edges: ReadonlyArray<{ readonly node: ApiKeyInfo }>;
  } | null;
  readonly teams: {
    readonly edges: ReadonlyArray<{ readonly node: { readonly name: string } }>;
  } | null;
}

const UserNode: Schema.Decoder<UserNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.NullOr(Schema.String),
  username: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  admin: Schema.NullOr(Schema.Boolean),
  entity: Schema.NullOr(Schema.String),
  deletedAt: Schema.NullOr(Schema.String),
  apiKeys: Schema.NullOr(Schema.Struct({
    edges: Schema.Array(Schema.Struct({
      node: Schema.Struct({
        id: Schema.String,
        name: Schema.String,
        description: Schema.NullOr(Schema.String),
      }),
    })),
  })),
  teams: Schema.NullOr(Schema.Struct({
    edges: Schema.Array(Schema.Struct({ node: Schema.Struct({ name: Schema.String }) })),
  })),
});

const toUser = (node: UserNodeData): UserAccount => ({
  id: node.id,
  username: node.username,
  name: node.name,
  email: node.email,
  admin: node.admin ?? false,
  entity: node.entity,
  deletedAt: node.deletedAt,
  teams: node.teams?.edges.map((e) => e.node.name) ?? [],
  apiKeys: node.apiKeys?.edges.map((e) => e.node) ?? [],
});

const userFragment = `
  fragment ApiKeyFragment on ApiKey { id name description }
  fragment UserFragment on User {
    id name username email admin flags entity deletedAt
    apiKeys { edges { node { ...ApiKeyFragment } } }
    teams { edges { node { name } } }
  }
`;

/** The decoded answer of `SearchUsers`. */
export interface SearchUsersData {
  readonly users: { readonly edges: ReadonlyArray<{ readonly node: UserNodeData }> } | null;
}

const searchUsersDocument = operationDocument(`
  query SearchUsers($query: String) { users(query: $query) { edges { node { ...UserFragment } } } }
  ${userFragment}
`);

/**
 * `SearchUsers` (admins only on W&B).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchUsersQuery } from "@effect-wandb/api/graphql";
 * assert.ok(searchUsersQuery("bob").variables.query === "bob");
 * ```
 */
export function searchUsersQuery(query: string): GraphqlRequest<SearchUsersData> {
  return {
    operation: "SearchUsers",
    document: searchUsersDocument,
    variables: { query },
    decoder: Schema.Struct({
      users: Schema.NullOr(
        Schema.Struct({ edges: Schema.Array(Schema.Struct({ node: UserNode })) }),
      ),
    }),
  };
}

/** A username or e-mail given to a call: refused (`InvalidArgumentError`) when blank. */
export const checkWho = (
  argument: string,
  who: string,
): Effect.Effect<void, InvalidArgumentError> =>
  who.trim().length === 0
    ? Effect.fail(
      new InvalidArgumentError({ argument, value: who, message: "Give a username or an e-mail" }),
    )
    : Effect.void;

/**
 * Users whose username or e-mail holds `usernameOrEmail` (Python's `api.users(...)`). W&B
 * answers this to instance admins only: others get a `PermissionError`.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { searchUsers } from "@effect-wandb/api/users";
 * const bobs = (client: WandbClient) => searchUsers(client, "bob");
 * ```
 */
export function searchUsers(
  client: WandbClient,
  usernameOrEmail: string,
): Effect.Effect<ReadonlyArray<UserAccount>, RequestError | InvalidArgumentError> {
  return Effect.flatMap(
    checkWho("usernameOrEmail", usernameOrEmail),
    () =>
      client.execute(searchUsersQuery(usernameOrEmail)).pipe(
        Effect.map((data) => (data.users?.edges ?? []).map((e) => toUser(e.node))),
      ),
  );
}

/**
 * The user with this username or e-mail (Python's `api.user(...)`); `NotFoundError` naming it
 * when there is none. Admins only, as on W&B.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getUser } from "@effect-wandb/api/users";
 * const bob = (client: WandbClient) => getUser(client, "bob@example.com");
 * ```
 */
export function getUser(
  client: WandbClient,
  usernameOrEmail: string,
): Effect.Effect<UserAccount, RequestError | NotFoundError | InvalidArgumentError> {
  return Effect.flatMap(searchUsers(client, usernameOrEmail), (users) => {
    const exact = users.find((u) => u.username === usernameOrEmail || u.email === usernameOrEmail);
    return exact === undefined
      ? Effect.fail(
        new NotFoundError({
          operation: "SearchUsers",
          resource: "user",
          path: usernameOrEmail,
          message: `Could not find user ${usernameOrEmail}`,
        }),
      )
      : Effect.succeed(exact);
  });
}

/** The decoded answer of `CreateUserFromAdmin`. */
export interface CreateUserData {
  readonly result: {
    readonly user: {
      readonly id: string;
      readonly username: string | null;
      readonly email: string | null;
    } | null;
  } | null;
}

const createUserDocument = operationDocument(`
  mutation CreateUserFromAdmin($email: String!, $admin: Boolean) {
    result: createUser(input: {email: $email, admin: $admin}) { user { ...UserInfoFragment } }
  }
  fragment UserInfoFragment on User { id name username email admin }
`);

/**
 * `CreateUserFromAdmin`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUserMutation } from "@effect-wandb/api/graphql";
 * assert.ok(createUserMutation("dan@x.io", false).operation === "CreateUserFromAdmin");
 * ```
 */
export function createUserMutation(email: string, admin: boolean): GraphqlRequest<CreateUserData> {
  return {
    operation: "CreateUserFromAdmin",
    document: createUserDocument,
    variables: { email, admin },
    decoder: Schema.Struct({
      result: Schema.NullOr(Schema.Struct({
        user: Schema.NullOr(Schema.Struct({
          id: Schema.String,
          username: Schema.NullOr(Schema.String),
          email: Schema.NullOr(Schema.String),
        })),
      })),
    }),
  };
}

/**
 * Creates a user (Python's `api.create_user(email, admin)`; instance admins only) and returns
 * them as the server lists them.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createUser } from "@effect-wandb/api/users";
 * const hire = (client: WandbClient) => createUser(client, "dan@example.com");
 * ```
 */
export function createUser(
  client: WandbClient,
  email: string,
  options?: { readonly admin?: boolean | undefined },
): Effect.Effect<UserAccount, RequestError | NotFoundError | InvalidArgumentError> {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "email",
        value: email,
        message: "Not an e-mail address",
      }),
    );
  }
  return client.execute(createUserMutation(email, options?.admin ?? false)).pipe(
    Effect.flatMap(() => getUser(client, email)),
  );
}

/** A newly generated API key: the key itself (shown once), `Redacted`. */
export interface GeneratedApiKey {
  readonly id: string;
  readonly description: string | null;
  /** The key. `Redacted.value(key)` reads it; it prints as `<redacted>`. */
  readonly key: Redacted.Redacted<string>;
}

const generateApiKeyDocument = operationDocument(`
  mutation GenerateApiKey($description: String) {
    result: generateApiKey(input: {description: $description}) { apiKey { ...ApiKeyFragment } }
  }
  fragment ApiKeyFragment on ApiKey { id name description }
`);

/** The decoded answer of `GenerateApiKey`. */
export interface GenerateApiKeyData {
  readonly result: { readonly apiKey: ApiKeyInfo | null } | null;
}

/**
 * `GenerateApiKey`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateApiKeyMutation } from "@effect-wandb/api/graphql";
 * assert.ok(generateApiKeyMutation("ci").variables.description === "ci");
 * ```
 */
export function generateApiKeyMutation(
  description: string | null,
): GraphqlRequest<GenerateApiKeyData> {
  return {
    operation: "GenerateApiKey",
    document: generateApiKeyDocument,
    variables: { description },
    decoder: Schema.Struct({
      result: Schema.NullOr(Schema.Struct({
        apiKey: Schema.NullOr(Schema.Struct({
          id: Schema.String,
          name: Schema.String,
          description: Schema.NullOr(Schema.String),
        })),
      })),
    }),
  };
}

/**
 * Generates an API key for the key's own user (Python's `user.generate_api_key(description)`):
 * the key comes back `Redacted`, so no log or error text shows it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { generateApiKey } from "@effect-wandb/api/users";
 * const mint = (client: WandbClient) => generateApiKey(client, { description: "CI" });
 * ```
 */
export function generateApiKey(
  client: WandbClient,
  options?: { readonly description?: string | undefined },
): Effect.Effect<GeneratedApiKey, RequestError> {
  return client.execute(generateApiKeyMutation(options?.description ?? null)).pipe(
    Effect.flatMap((data) => {
      const key = data.result?.apiKey ?? null;
      return key === null
        ? Effect.die(new Error("GenerateApiKey answered without a key"))
        : Effect.succeed({
          id: key.id,
          description: key.description,
          key: Redacted.make(key.name),
        });
    }),
  );
}

const deleteApiKeyDocument = operationDocument(`
  mutation DeleteApiKey($id: String!) { result: deleteApiKey(input: {id: $id}) { success } }
`);

/** The decoded answer of `DeleteApiKey`, `DeleteInvite` and other `success` mutations. */
export interface ResultSuccessData {
  readonly result: { readonly success: boolean | null } | null;
}

/** The decoder of a mutation that answers `{ success }`. */
export const ResultSuccess: Schema.Decoder<ResultSuccessData> = Schema.Struct({
  result: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
});

/**
 * `DeleteApiKey`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteApiKeyMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteApiKeyMutation("7").variables.id === "7");
 * ```
 */
export function deleteApiKeyMutation(id: string): GraphqlRequest<ResultSuccessData> {
  return {
    operation: "DeleteApiKey",
    document: deleteApiKeyDocument,
    variables: { id },
    decoder: ResultSuccess,
  };
}

/**
 * Deletes one of the key's own user's API keys by id (Python's `user.delete_api_key(id)`).
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { deleteApiKey } from "@effect-wandb/api/users";
 * const revoke = (client: WandbClient, id: string) => deleteApiKey(client, id);
 * ```
 */
export function deleteApiKey(client: WandbClient, id: string): Effect.Effect<string, RequestError> {
  return client.execute(deleteApiKeyMutation(id)).pipe(Effect.as(id));
}
