/**
 * The organizations' slice of the `Api`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Organization } from "./operations.ts";

/** The organizations' methods of the `Api`. */
export interface OrganizationsApi {
  /**
   * An organization (Python's `api.organization(name)`); without a name, the default entity's
   * (a team's organization, or the only one a user belongs to).
   */
  organization(name?: string): Effect.Effect<Organization, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));

/** Builds the organizations' slice. */
export function organizationsApi(context: ApiContext): OrganizationsApi {
  const { client, paths } = context;
  return {
    organization: (name) =>
      Effect.flatMap(
        operations,
        (m) =>
          name !== undefined ? m.getOrganization(client, name) : Effect.flatMap(
            Effect.flatMap(paths.entity(), (entity) => m.organizationOfEntity(client, entity)),
            (found) => m.getOrganization(client, found),
          ),
      ),
  };
}
