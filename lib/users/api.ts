/**
 * The users' slice of the `Api`: users (for instance admins) and the key's own API keys.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { GeneratedApiKey, UserAccount } from "./users.ts";

/** The users' methods of the `Api`. */
export interface UsersApi {
  /** A user by username or e-mail (Python's `api.user(...)`; instance admins only). */
  user(usernameOrEmail: string): Effect.Effect<UserAccount, WandbError>;
  /** Users matching a username or e-mail (Python's `api.users(...)`; instance admins only). */
  users(usernameOrEmail: string): Effect.Effect<ReadonlyArray<UserAccount>, WandbError>;
  /** Creates a user (Python's `api.create_user(email, admin)`; instance admins only). */
  createUser(
    email: string,
    options?: { readonly admin?: boolean | undefined },
  ): Effect.Effect<UserAccount, WandbError>;
  /**
   * Generates an API key for the key's own user (Python's `user.generate_api_key()`); the key
   * comes back `Redacted`.
   */
  generateApiKey(
    options?: { readonly description?: string | undefined },
  ): Effect.Effect<GeneratedApiKey, WandbError>;
  /** Deletes one of the key's own user's API keys (Python's `user.delete_api_key(id)`). */
  deleteApiKey(id: string): Effect.Effect<string, WandbError>;
}

const users = loadOnce(() => import("./users.ts"));

/** Builds the users' slice. */
export function usersApi(context: ApiContext): UsersApi {
  const { client } = context;
  return {
    user: (who) => Effect.flatMap(users, (m) => m.getUser(client, who)),
    users: (who) => Effect.flatMap(users, (m) => m.searchUsers(client, who)),
    createUser: (email, options) =>
      Effect.flatMap(users, (m) => m.createUser(client, email, options)),
    generateApiKey: (options) => Effect.flatMap(users, (m) => m.generateApiKey(client, options)),
    deleteApiKey: (id) => Effect.flatMap(users, (m) => m.deleteApiKey(client, id)),
  };
}
