/**
 * Projects: list an entity's projects (a Stream) and fetch one.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import { NotFoundError, type RequestError } from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import { type Page, paginatePages } from "../core/pagination.ts";
import type { ProjectPath } from "../core/paths.ts";
import { projectNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";

/** A W&B project, with Python `wandb.apis.public.Project` names in camelCase. */
export interface Project {
  /** The server's storage id. */
  readonly id: string;
  /** Project name. */
  readonly name: string;
  /** Owning entity. */
  readonly entity: string;
  /** `entity/project`. */
  readonly path: string;
  /** Creation time, ISO-8601. */
  readonly createdAt: string;
  /** Whether the project is a benchmark. */
  readonly isBenchmark: boolean;
  /** The creator's username, when the server shows it. */
  readonly username: string | null;
}

/** A project node as the project queries select it. */
export interface ProjectNodeData {
  readonly id: string;
  readonly name: string;
  readonly entityName: string;
  readonly createdAt: string;
  readonly isBenchmark: boolean | null;
  readonly user: { readonly username: string | null } | null;
}

const ProjectNode: Schema.Decoder<ProjectNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  entityName: Schema.String,
  createdAt: Schema.String,
  isBenchmark: Schema.NullOr(Schema.Boolean),
  user: Schema.NullOr(Schema.Struct({ username: Schema.NullOr(Schema.String) })),
});

const toProject = (node: ProjectNodeData): Project => ({
  id: node.id,
  name: node.name,
  entity: node.entityName,
  path: `${node.entityName}/${node.name}`,
  createdAt: node.createdAt,
  isBenchmark: node.isBenchmark ?? false,
  username: node.user?.username ?? null,
});

const projectFields = "id name entityName createdAt isBenchmark user { username }";

const projectsDocument = operationDocument(`
  query GetProjects($entity: String, $cursor: String, $perPage: Int = 50) {
    models(entityName: $entity, after: $cursor, first: $perPage) {
      pageInfo { endCursor hasNextPage }
      edges { node { ${projectFields} } }
    }
  }
`);

/** The decoded answer of `GetProjects`. */
export interface ProjectsData {
  readonly models: {
    readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
    readonly edges: ReadonlyArray<{ readonly node: ProjectNodeData }>;
  } | null;
}

const ProjectsData: Schema.Decoder<ProjectsData> = Schema.Struct({
  models: Schema.NullOr(Schema.Struct({
    pageInfo: Schema.Struct({
      endCursor: Schema.NullOr(Schema.String),
      hasNextPage: Schema.Boolean,
    }),
    edges: Schema.Array(Schema.Struct({ node: ProjectNode })),
  })),
});

/**
 * The `GetProjects` request for one page (the root field is `models`, as on the real server).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(projectsQuery("acme", null, 200).variables.perPage === 200);
 * ```
 */
export function projectsQuery(
  entity: string,
  cursor: string | null,
  perPage: number,
): GraphqlRequest<ProjectsData> {
  return {
    operation: "GetProjects",
    document: projectsDocument,
    variables: { entity, cursor, perPage },
    decoder: ProjectsData,
  };
}

const projectDocument = operationDocument(`
  query GetProject($name: String!, $entity: String!) {
    project(name: $name, entityName: $entity) { ${projectFields} }
  }
`);

/** The decoded answer of `GetProject`. */
export interface ProjectData {
  readonly project: ProjectNodeData | null;
}

const ProjectData: Schema.Decoder<ProjectData> = Schema.Struct({
  project: Schema.NullOr(ProjectNode),
});

/**
 * The `GetProject` request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectQuery } from "@effect-wandb/api/graphql";
 * assert.ok(projectQuery({ entity: "acme", project: "mnist" }).variables.name === "mnist");
 * ```
 */
export function projectQuery(path: ProjectPath): GraphqlRequest<ProjectData> {
  return {
    operation: "GetProject",
    document: projectDocument,
    variables: { name: path.project, entity: path.entity },
    decoder: ProjectData,
  };
}

/** Pages of an entity's projects, one request per pull. */
export function listProjectsPages(
  client: WandbClient,
  entity: string,
  perPage: number,
): Stream.Stream<Page<Project>, RequestError | NotFoundError> {
  return paginatePages({
    operation: "GetProjects",
    fetchPage: (cursor) =>
      client.execute(projectsQuery(entity, cursor, perPage)).pipe(
        Effect.flatMap(({ models }) =>
          models === null
            ? Effect.fail(
              new NotFoundError({
                operation: "GetProjects",
                resource: "entity",
                path: entity,
                message: `Could not find entity ${entity}`,
              }),
            )
            : Effect.succeed({
              items: models.edges.map((e) => toProject(e.node)),
              nextCursor: models.pageInfo.endCursor,
              hasNextPage: models.pageInfo.hasNextPage,
            })
        ),
      ),
  });
}

/** An entity's projects, in server order, one request per page pulled. */
export function listProjects(
  client: WandbClient,
  entity: string,
  perPage: number,
): Stream.Stream<Project, RequestError | NotFoundError> {
  return listProjectsPages(client, entity, perPage).pipe(
    Stream.flatMap((page) => Stream.fromIterable(page.items)),
  );
}

/** Fetches one project; `NotFoundError` when the server answers `null`. */
export function getProject(
  client: WandbClient,
  path: ProjectPath,
): Effect.Effect<Project, RequestError | NotFoundError> {
  return client.execute(projectQuery(path)).pipe(
    Effect.flatMap(({ project }) =>
      project === null
        ? Effect.fail(projectNotFound("GetProject", path))
        : Effect.succeed(toProject(project))
    ),
  );
}
