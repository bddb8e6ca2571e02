/**
 * Users (for instance admins) and the key’s own API keys.
 *
 * Everything here is also reachable through the `Api` (its `UsersApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { UsersApi } from "@effect-wandb/api/users";
 * type Methods = keyof UsersApi;
 * ```
 *
 * @module
 */
export { type UsersApi, usersApi } from "./api.ts";
export {
  type ApiKeyInfo,
  createUser,
  deleteApiKey,
  generateApiKey,
  type GeneratedApiKey,
  getUser,
  searchUsers,
  type UserAccount,
} from "./users.ts";
