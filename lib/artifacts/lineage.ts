/**
 * Artifact lineage: the versions a run logged and used, the run that logged a version and the
 * runs that used it, and marking a version used or logged by a run. Python's
 * `run.logged_artifacts()`, `run.used_artifacts()`, `run.use_artifact()`, `run.log_artifact()`,
 * `artifact.logged_by()` and `artifact.used_by()`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import type * as Stream from "effect/Stream";
import type { NotFoundError, RequestError } from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import type { RunPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import type { Run } from "../runs/decoders.ts";
import { getRun } from "../runs/operations.ts";
import { type Artifact, toArtifact } from "./decoders.ts";
import {
  artifactCreatedByQuery,
  artifactUsedByQuery,
  logArtifactMutation,
  runArtifactsQuery,
  useArtifactMutation,
} from "./lineage_queries.ts";
import { type ArtifactError, getArtifactById, invalid, notFound } from "./operations.ts";
import { checkChanges } from "./mutations.ts";

/**
 * The versions a run logged (`logged`, Python's `run.logged_artifacts()`) or used (`used`,
 * `run.used_artifacts()`), lazily.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listRunArtifacts } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const inputs = (client: WandbClient) =>
 *   Stream.runCollect(listRunArtifacts(client, { entity: "acme", project: "mnist", runId: "abc" }, "used"));
 * ```
 */
export function listRunArtifacts(
  client: WandbClient,
  run: RunPath,
  role: "logged" | "used",
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<Artifact, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  const operation = role === "logged" ? "RunOutputArtifacts" : "RunInputArtifacts";
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation,
      fetchPage: (cursor) =>
        client.execute(runArtifactsQuery(run, role, perPage, cursor)).pipe(
          Effect.flatMap((data) => {
            if (data.project === null) return Effect.fail(projectNotFound(operation, run));
            if (data.project.run === null) return Effect.fail(runNotFound(operation, run));
            const artifacts = data.project.run.artifacts;
            return Effect.succeed({
              items: (artifacts?.edges ?? []).map(({ node }) => toArtifact(node)),
              nextCursor: artifacts?.pageInfo.endCursor ?? null,
              hasNextPage: artifacts?.pageInfo.hasNextPage ?? false,
            });
          }),
        ),
    }),
  );
}

/**
 * Declares that a run used a version (Python's `run.use_artifact(artifact, use_as)`); returns
 * the version.
 *
 * @example
 * ```ts
 * import { type Artifact } from "@effect-wandb/api";
 * import { useArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const declare = (client: WandbClient, a: Artifact) =>
 *   useArtifact(client, { entity: "acme", project: "mnist", runId: "abc" }, a);
 * ```
 */
export function useArtifact(
  client: WandbClient,
  run: RunPath,
  artifact: Artifact,
  options?: { readonly usedAs?: string | undefined },
): Effect.Effect<Artifact, RequestError | NotFoundError> {
  return client.execute(useArtifactMutation(run, artifact.id, options?.usedAs ?? null)).pipe(
    Effect.flatMap((data) =>
      data.useArtifact === null
        ? Effect.fail(runNotFound("UseArtifact", run))
        : Effect.succeed(artifact)
    ),
  );
}

/**
 * Declares a committed version an output of a run of the same project (Python's
 * `run.log_artifact(artifact, aliases, tags)`, which takes existing versions only: a new
 * artifact from local files needs a live run, as in Python). Returns the version with its new
 * aliases and tags.
 *
 * @example
 * ```ts
 * import { type Artifact } from "@effect-wandb/api";
 * import { logArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const declare = (client: WandbClient, a: Artifact) =>
 *   logArtifact(client, { entity: "acme", project: "mnist", runId: "abc" }, a, { aliases: ["prod"] });
 * ```
 */
export function logArtifact(
  client: WandbClient,
  run: RunPath,
  artifact: Artifact,
  options?: {
    readonly aliases?: ReadonlyArray<string> | undefined;
    readonly tags?: ReadonlyArray<string> | undefined;
  },
): Effect.Effect<Artifact, ArtifactError> {
  return Effect.gen(function* () {
    if (run.entity !== artifact.entity || run.project !== artifact.project) {
      return yield* Effect.fail(
        invalid(
          "artifact",
          artifact.qualifiedName,
          "A run can't log an artifact to a different project",
        ),
      );
    }
    yield* checkChanges({ aliases: options?.aliases, tags: options?.tags });
    yield* client.execute(
      logArtifactMutation(
        run,
        artifact.type,
        artifact.collection,
        artifact.digest,
        options?.aliases ?? [],
        options?.tags ?? [],
      ),
    );
    return yield* getArtifactById(client, artifact.id);
  });
}

/**
 * The run that logged a version (Python's `artifact.logged_by()`), or `null`.
 *
 * @example
 * ```ts
 * import { type Artifact } from "@effect-wandb/api";
 * import { artifactLoggedBy } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const creator = (client: WandbClient, a: Artifact) => artifactLoggedBy(client, a);
 * ```
 */
export function artifactLoggedBy(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<Run | null, RequestError | NotFoundError> {
  return client.execute(artifactCreatedByQuery(artifact.id)).pipe(
    Effect.flatMap((data) => {
      const by = data.artifact?.createdBy ?? null;
      if (data.artifact === null) {
        return Effect.fail(notFound("ArtifactCreatedBy", "artifact", artifact.qualifiedName));
      }
      return by === null || by.__typename !== "Run" ? Effect.succeed(null) : getRun(client, {
        entity: by.project.entity.name,
        project: by.project.name,
        runId: by.name,
      });
    }),
  );
}

/**
 * The runs that used a version (Python's `artifact.used_by()`).
 *
 * @example
 * ```ts
 * import { type Artifact } from "@effect-wandb/api";
 * import { artifactUsedBy } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const consumers = (client: WandbClient, a: Artifact) => artifactUsedBy(client, a);
 * ```
 */
export function artifactUsedBy(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<ReadonlyArray<Run>, RequestError | NotFoundError> {
  return client.execute(artifactUsedByQuery(artifact.id)).pipe(
    Effect.flatMap((data) =>
      data.artifact === null
        ? Effect.fail(notFound("ArtifactUsedBy", "artifact", artifact.qualifiedName))
        : Effect.forEach(
          data.artifact.usedBy.edges,
          ({ node }) =>
            getRun(client, {
              entity: node.project.entity.name,
              project: node.project.name,
              runId: node.name,
            }),
          {
            concurrency: 4,
          },
        )
    ),
  );
}
