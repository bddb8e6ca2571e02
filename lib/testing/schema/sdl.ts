/**
 * The project's own SDL of the W&B GraphQL schema.
 *
 * Grown from W&B's official subset (`wb_schema.gql` in wandb/weave) plus every type, field and
 * argument the official Python client's traffic uses (v0.26.1 and v0.17.9 captures), so that
 * every operation that client sends validates. Field semantics follow the real server as far as
 * public material shows it; the descriptions say where we had to choose. This file holds what
 * every resource shares; each resource adds its types and fields (its \`sdl.ts\`).
 *
 * @module
 */

import { serverResources } from "../resources.ts";

/** The W&B schema, as SDL text. */
export const wandbSdl: string = /* GraphQL */ `
schema {
  query: Query
  mutation: Mutation
}

"A JSON value sent as a string (config, summaryMetrics, filters, specs)."
scalar JSONString
"A JSON value sent as JSON."
scalar JSON
"An ISO-8601 timestamp."
scalar DateTime
"A 64-bit integer (steps, sizes)."
scalar Int64
"A duration in seconds."
scalar Duration

directive @audit on FIELD_DEFINITION
directive @constraints(min: Int, max: Int, pattern: String) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION
directive @accessibleIf(cond: String, restrictEvenAdmins: Boolean) on FIELD_DEFINITION

interface Node {
  id: ID!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Query {
  serverInfo: ServerInfo
}

type Mutation

type ServerInfo {
  features: [ServerFeature!]!
  "A W&B Server install's version (null on SaaS)."
  latestLocalVersionInfo: LocalVersionInfo
}

type LocalVersionInfo {
  outOfDate: Boolean!
  latestVersionString: String!
  versionOnThisInstanceString: String!
}

type ServerFeature {
  name: String!
  isEnabled: Boolean!
}
` +
  Object.values(serverResources).map((r: { readonly sdl?: string | undefined }) => r.sdl ?? "")
    .join("");
