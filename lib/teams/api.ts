/**
 * The teams' slice of the `Api`: a team and its members, a new team, invites, service
 * accounts, members removed.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Team, TeamMember } from "./teams.ts";

/** The teams' methods of the `Api`. */
export interface TeamsApi {
  /** A team and its members with their roles (Python's `api.team(name)`). */
  team(name: string): Effect.Effect<Team, WandbError>;
  /** Creates a team (Python's `api.create_team(name, admin_username)`). */
  createTeam(
    name: string,
    options?: { readonly adminUsername?: string | undefined },
  ): Effect.Effect<Team, WandbError>;
  /** Invites a user into a team (Python's `team.invite(username_or_email, admin)`). */
  inviteToTeam(
    team: string,
    usernameOrEmail: string,
    options?: { readonly admin?: boolean | undefined },
  ): Effect.Effect<Team, WandbError>;
  /** Creates a team's service account (Python's `team.create_service_account(description)`). */
  createServiceAccount(team: string, description: string): Effect.Effect<TeamMember, WandbError>;
  /** Removes a member from a team (Python's `member.delete()`). */
  removeTeamMember(team: string, member: Pick<TeamMember, "id">): Effect.Effect<Team, WandbError>;
}

const teams = loadOnce(() => import("./teams.ts"));

/** Builds the teams' slice. */
export function teamsApi(context: ApiContext): TeamsApi {
  const { client } = context;
  return {
    team: (name) => Effect.flatMap(teams, (m) => m.getTeam(client, name)),
    createTeam: (name, options) =>
      Effect.flatMap(teams, (m) => m.createTeam(client, name, options)),
    inviteToTeam: (team, who, options) =>
      Effect.flatMap(teams, (m) => m.inviteToTeam(client, team, who, options)),
    createServiceAccount: (team, description) =>
      Effect.flatMap(teams, (m) => m.createServiceAccount(client, team, description)),
    removeTeamMember: (team, member) =>
      Effect.flatMap(teams, (m) => m.removeTeamMember(client, team, member)),
  };
}
