/**
 * The resources of the local server, one line each, in the order they are opened and seeded
 * (a resource comes after those it builds on). The store, the schema, the resolvers, the seed
 * and the server's storage are all composed from this list.
 *
 * @module
 */
import { usersResource } from "./users/resource.ts";
import { projectsResource } from "./projects/resource.ts";
import { runsResource } from "./runs/resource.ts";
import { historyResource } from "./history/resource.ts";
import { filesResource } from "./files/resource.ts";
import { artifactsResource } from "./artifacts/resource.ts";
import { sweepsResource } from "./sweeps/resource.ts";
import { teamsResource } from "./teams/resource.ts";
import { reportsResource } from "./reports/resource.ts";
import { launchResource } from "./launch/resource.ts";
import { consoleResource } from "./console/resource.ts";
import { integrationsResource } from "./integrations/resource.ts";
import { organizationsResource } from "./organizations/resource.ts";
import { registriesResource } from "./registries/resource.ts";
import { automationsResource } from "./automations/resource.ts";

/**
 * Every resource of the local server, by name: `server.store.<name>` is its store and
 * `server.seed.<name>` its part of the seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverResources } from "@effect-wandb/api/testing";
 * assert.ok(Object.keys(serverResources)[0] === "users");
 * ```
 */
export const serverResources = {
  users: usersResource,
  projects: projectsResource,
  runs: runsResource,
  history: historyResource,
  files: filesResource,
  artifacts: artifactsResource,
  sweeps: sweepsResource,
  teams: teamsResource,
  reports: reportsResource,
  launch: launchResource,
  console: consoleResource,
  integrations: integrationsResource,
  organizations: organizationsResource,
  registries: registriesResource,
  automations: automationsResource,
};
