/**
 * Teams: members and roles, new teams, invites, service accounts.
 *
 * Everything here is also reachable through the `Api` (its `TeamsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { TeamsApi } from "@effect-wandb/api/teams";
 * type Methods = keyof TeamsApi;
 * ```
 *
 * @module
 */
export { type TeamsApi, teamsApi } from "./api.ts";
export {
  createServiceAccount,
  createTeam,
  getTeam,
  inviteToTeam,
  removeTeamMember,
  type Team,
  type TeamMember,
} from "./teams.ts";
