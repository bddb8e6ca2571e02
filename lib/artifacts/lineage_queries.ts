/**
 * Pure builders for lineage: the versions a run logged or used (`RunOutputArtifacts`,
 * `RunInputArtifacts`), the runs of a version (`ArtifactUsedBy`, `ArtifactCreatedBy`), and
 * declaring a use or an output (`UseArtifact`, `CreateArtifact`).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { RunPath } from "../core/paths.ts";
import { ArtifactNode, type ArtifactNodeData } from "./decoders.ts";
import { type ConnectionData, connectionOf, doc, inProject, nullable } from "./queries.ts";

// ---- lineage -----------------------------------------------------------------------------

/** The decoded answer of `RunOutputArtifacts` / `RunInputArtifacts`. */
export type RunArtifactsData = {
  readonly project: {
    readonly run: { readonly artifacts: ConnectionData<ArtifactNodeData> | null } | null;
  } | null;
};

const runArtifactsDocument = (operation: string, field: string) =>
  doc(`
  query ${operation}($entity: String!, $project: String!, $run: String!, $cursor: String,
                     $perPage: Int, $includeAliases: Boolean = true) {
    project(entityName: $entity, name: $project) {
      run(name: $run) {
        artifacts: ${field}(after: $cursor, first: $perPage) {
          totalCount pageInfo { ...PageInfoFragment } edges { node { ...ArtifactFragment } }
        }
      }
    }
  }
`);

const outputDocument = runArtifactsDocument("RunOutputArtifacts", "outputArtifacts");
const inputDocument = runArtifactsDocument("RunInputArtifacts", "inputArtifacts");

/**
 * `RunOutputArtifacts` (`logged`) or `RunInputArtifacts` (`used`): a page of a run's artifacts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runArtifactsQuery } from "@effect-wandb/api/graphql";
 * const r = runArtifactsQuery({ entity: "a", project: "p", runId: "r" }, "used", 50, null);
 * assert.ok(r.operation === "RunInputArtifacts");
 * ```
 */
export function runArtifactsQuery(
  run: RunPath,
  role: "logged" | "used",
  perPage: number,
  cursor: string | null,
): GraphqlRequest<RunArtifactsData> {
  return {
    operation: role === "logged" ? "RunOutputArtifacts" : "RunInputArtifacts",
    document: role === "logged" ? outputDocument : inputDocument,
    variables: { entity: run.entity, project: run.project, run: run.runId, perPage, cursor },
    decoder: inProject(Schema.Struct({
      run: nullable(Schema.Struct({ artifacts: nullable(connectionOf(ArtifactNode)) })),
    })),
  };
}

/** A run as `RunInfoFragment` selects it. */
export interface RunInfoData {
  readonly id: string;
  readonly name: string;
  readonly project: { readonly name: string; readonly entity: { readonly name: string } };
}

const RunInfo: Schema.Decoder<RunInfoData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  project: Schema.Struct({ name: Schema.String, entity: Schema.Struct({ name: Schema.String }) }),
});

/** The decoded answer of `ArtifactUsedBy`. */
export type ArtifactUsedByData = {
  readonly artifact: {
    readonly usedBy: { readonly edges: ReadonlyArray<{ readonly node: RunInfoData }> };
  } | null;
};

const usedByDocument = doc(`
  query ArtifactUsedBy($id: ID!) {
    artifact(id: $id) { usedBy { edges { node { ...RunInfoFragment } } } }
  }
`);

/**
 * `ArtifactUsedBy`: the runs that used a version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactUsedByQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactUsedByQuery("QXJ0aWZhY3Q6MQ==").operation === "ArtifactUsedBy");
 * ```
 */
export function artifactUsedByQuery(id: string): GraphqlRequest<ArtifactUsedByData> {
  return {
    operation: "ArtifactUsedBy",
    document: usedByDocument,
    variables: { id },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        usedBy: Schema.Struct({ edges: Schema.Array(Schema.Struct({ node: RunInfo })) }),
      })),
    }),
  };
}

/** The decoded answer of `ArtifactCreatedBy`. */
export type ArtifactCreatedByData = {
  readonly artifact:
    | { readonly createdBy: (RunInfoData & { readonly __typename: string }) | null }
    | null;
};

const createdByDocument = doc(`
  query ArtifactCreatedBy($id: ID!) {
    artifact(id: $id) { createdBy { __typename ... on Run { ...RunInfoFragment } } }
  }
`);

/**
 * `ArtifactCreatedBy`: the run that logged a version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactCreatedByQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactCreatedByQuery("QXJ0aWZhY3Q6MQ==").operation === "ArtifactCreatedBy");
 * ```
 */
export function artifactCreatedByQuery(id: string): GraphqlRequest<ArtifactCreatedByData> {
  return {
    operation: "ArtifactCreatedBy",
    document: createdByDocument,
    variables: { id },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        createdBy: nullable(Schema.Struct({
          __typename: Schema.String,
          id: Schema.String,
          name: Schema.String,
          project: Schema.Struct({
            name: Schema.String,
            entity: Schema.Struct({ name: Schema.String }),
          }),
        })),
      })),
    }),
  };
}

/** The decoded answer of `UseArtifact`. */
export type UseArtifactData = {
  readonly useArtifact: { readonly artifact: { readonly id: string } } | null;
};

const useArtifactDocument = operationDocument(`
  mutation UseArtifact($entityName: String!, $projectName: String!, $runName: String!,
                       $artifactID: ID!, $usedAs: String) {
    useArtifact(input: {entityName: $entityName, projectName: $projectName, runName: $runName,
                        artifactID: $artifactID, usedAs: $usedAs}) {
      artifact { id digest description state createdAt metadata }
    }
  }
`);

/**
 * `UseArtifact`: marks a version as an input of a run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = useArtifactMutation({ entity: "a", project: "p", runId: "r" }, "id", null);
 * assert.ok(r.variables.runName === "r");
 * ```
 */
export function useArtifactMutation(
  run: RunPath,
  id: string,
  usedAs: string | null,
): GraphqlRequest<UseArtifactData> {
  return {
    operation: "UseArtifact",
    document: useArtifactDocument,
    variables: {
      entityName: run.entity,
      projectName: run.project,
      runName: run.runId,
      artifactID: id,
      usedAs,
    },
    decoder: Schema.Struct({
      useArtifact: nullable(Schema.Struct({ artifact: Schema.Struct({ id: Schema.String }) })),
    }),
  };
}

/** The decoded answer of `CreateArtifact`. */
export type CreateArtifactData = {
  readonly createArtifact:
    | { readonly artifact: { readonly id: string; readonly state: string } }
    | null;
};

const createArtifactDocument = operationDocument(`
  mutation CreateArtifact($artifactTypeName: String!, $artifactCollectionNames: [String!],
                          $entityName: String!, $projectName: String!, $runName: String,
                          $description: String, $digest: String!, $aliases: [ArtifactAliasInput!],
                          $metadata: JSONString, $clientID: ID, $sequenceClientID: ID,
                          $ttlDurationSeconds: Int64, $tags: [TagInput!]) {
    createArtifact(input: {
      artifactTypeName: $artifactTypeName, artifactCollectionNames: $artifactCollectionNames,
      entityName: $entityName, projectName: $projectName, runName: $runName,
      description: $description, digest: $digest, digestAlgorithm: MANIFEST_MD5,
      aliases: $aliases, metadata: $metadata, clientID: $clientID,
      sequenceClientID: $sequenceClientID, enableDigestDeduplication: true,
      ttlDurationSeconds: $ttlDurationSeconds, tags: $tags
    }) {
      artifact { id state artifactSequence { id latestArtifact { id versionIndex } } }
    }
  }
`);

/**
 * `CreateArtifact` with an existing version's digest: how Python's public `Run.log_artifact`
 * declares a committed version an output of a run (the server de-duplicates by digest).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = logArtifactMutation({ entity: "a", project: "p", runId: "r" }, "model", "cnn", "d41d8cd9", [], []);
 * assert.ok(r.variables.digest === "d41d8cd9");
 * ```
 */
export function logArtifactMutation(
  run: RunPath,
  type: string,
  collection: string,
  digest: string,
  aliases: ReadonlyArray<string>,
  tags: ReadonlyArray<string>,
): GraphqlRequest<CreateArtifactData> {
  return {
    operation: "CreateArtifact",
    document: createArtifactDocument,
    variables: {
      entityName: run.entity,
      projectName: run.project,
      runName: run.runId,
      artifactTypeName: type,
      artifactCollectionNames: [collection],
      digest,
      description: null,
      metadata: null,
      clientID: null,
      sequenceClientID: null,
      ttlDurationSeconds: null,
      aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      tags: tags.map((tagName) => ({ tagName })),
    },
    decoder: Schema.Struct({
      createArtifact: nullable(Schema.Struct({
        artifact: Schema.Struct({ id: Schema.String, state: Schema.String }),
      })),
    }),
  };
}
