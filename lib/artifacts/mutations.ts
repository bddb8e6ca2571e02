/**
 * Artifact changes: a version's description, metadata, aliases and tags, its deletion and its
 * links into portfolios; a collection's name, description, tags and type, and its deletion.
 * Python's `artifact.save()`, `artifact.delete()`, `artifact.link()` and the collection's.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import type { InvalidArgumentError, RequestError } from "../core/errors.ts";
import type { WandbClient } from "../core/transport.ts";
import { printWandbJson } from "../core/wandb_json.ts";
import {
  type Artifact,
  type ArtifactCollection,
  toArtifact,
  toArtifactCollection,
} from "./decoders.ts";
import {
  aliasesMutation,
  collectionTagsMutation,
  deleteArtifactMutation,
  deleteCollectionMutation,
  linkArtifactLegacyMutation,
  linkArtifactMutation,
  moveCollectionMutation,
  updateArtifactMutation,
  updateCollectionMutation,
} from "./change_queries.ts";
import { artifactByNameQuery } from "./queries.ts";
import { type ArtifactError, invalid, notFound, parseArtifactPath } from "./operations.ts";

/** What {@link saveArtifact} changes: each field given is the value wanted (not a delta). */
export interface ArtifactChanges {
  readonly description?: string | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** Seconds, or `null` to remove the TTL. */
  readonly ttl?: number | null | undefined;
  /** The aliases wanted in its sequence (`latest` is the server's to move). */
  readonly aliases?: ReadonlyArray<string> | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
}

const aliasPattern = /^[^/:]+$/;
const tagPattern = /^[-\w]+([ ]+[-\w]+)*$/;

export function checkChanges(changes: ArtifactChanges): Effect.Effect<void, InvalidArgumentError> {
  for (const alias of changes.aliases ?? []) {
    if (!aliasPattern.test(alias) || /^v\d+$/.test(alias) || alias.length > 128) {
      return Effect.fail(
        invalid(
          "aliases",
          alias,
          `Invalid alias '${alias}': no '/' or ':', not empty, not a version like v3`,
        ),
      );
    }
  }
  for (const tag of changes.tags ?? []) {
    if (!tagPattern.test(tag) || tag.length > 128) {
      return Effect.fail(
        invalid("tags", tag, `Invalid tag '${tag}': letters, digits, '-', '_' and single spaces`),
      );
    }
  }
  if (
    changes.ttl !== undefined && changes.ttl !== null &&
    (!Number.isInteger(changes.ttl) || changes.ttl <= 0)
  ) {
    return Effect.fail(
      invalid("ttl", changes.ttl, "ttl must be a positive number of seconds, or null"),
    );
  }
  if (
    changes.metadata !== undefined &&
    printWandbJson(changes.metadata, "token") !== printWandbJson(changes.metadata)
  ) {
    return Effect.fail(
      invalid(
        "metadata",
        undefined,
        "Metadata cannot hold NaN or ±Infinity: W&B stores it as JSON",
      ),
    );
  }
  return Effect.void;
}

/**
 * Saves changes to a committed version (Python's `artifact.save()` after setting
 * `description`, `metadata`, `ttl`, `aliases`, `tags`): aliases added and removed
 * (`AddAliases`, `DeleteAliases`), then one `UpdateArtifact` for the rest. Returns the version
 * as the server now has it. Bad aliases, tags, TTLs or metadata fail with an
 * `InvalidArgumentError` before any request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, saveArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const promote = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-cnn:v2").pipe(
 *     Effect.flatMap((a) => saveArtifact(client, a, { aliases: [...a.aliases, "prod"], description: "shipped" })),
 *   );
 * ```
 */
export function saveArtifact(
  client: WandbClient,
  artifact: Artifact,
  changes: ArtifactChanges,
): Effect.Effect<Artifact, ArtifactError> {
  return Effect.gen(function* () {
    yield* checkChanges(changes);
    const project = { entity: artifact.entity, project: artifact.project };
    if (changes.aliases !== undefined) {
      const wanted = new Set(changes.aliases);
      const current = new Set(artifact.aliases);
      const added = [...wanted].filter((a) => !current.has(a));
      const removed = [...current].filter((a) => !wanted.has(a) && a !== "latest");
      if (added.length > 0) {
        yield* client.execute(
          aliasesMutation("add", artifact.id, project, artifact.collection, added),
        );
      }
      if (removed.length > 0) {
        yield* client.execute(
          aliasesMutation("delete", artifact.id, project, artifact.collection, removed),
        );
      }
    }
    const tags = changes.tags === undefined ? undefined : new Set(changes.tags);
    const updated = yield* client.execute(updateArtifactMutation(artifact.id, {
      description: changes.description,
      metadata: changes.metadata === undefined ? undefined : printWandbJson(changes.metadata),
      ttlDurationSeconds: changes.ttl === undefined ? undefined : changes.ttl ?? -2,
      tagsToAdd: tags === undefined ? [] : [...tags].filter((t) => !artifact.tags.includes(t)),
      tagsToDelete: tags === undefined ? [] : artifact.tags.filter((t) => !tags.has(t)),
    }));
    if (updated.result === null) {
      return yield* Effect.fail(notFound("UpdateArtifact", "artifact", artifact.qualifiedName));
    }
    // Saved under the name it was asked by, as Python keeps `artifact.name`.
    const saved = toArtifact(updated.result.artifact);
    return { ...saved, name: artifact.name, qualifiedName: artifact.qualifiedName };
  });
}

/**
 * Deletes a version (Python's `artifact.delete(delete_aliases)`); the server refuses a version
 * that still has aliases unless `deleteAliases`. Returns the version deleted.
 *
 * @example
 * ```ts
 * import { type Artifact } from "@effect-wandb/api";
 * import { deleteArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const remove = (client: WandbClient, a: Artifact) => deleteArtifact(client, a, { deleteAliases: true });
 * ```
 */
export function deleteArtifact(
  client: WandbClient,
  artifact: Artifact,
  options?: { readonly deleteAliases?: boolean | undefined },
): Effect.Effect<Artifact, RequestError> {
  return client.execute(deleteArtifactMutation(artifact.id, options?.deleteAliases ?? false)).pipe(
    Effect.as({ ...artifact, state: "DELETED" }),
  );
}

/** A version linked into a portfolio. */
export interface LinkedArtifact {
  /** `entity/project/portfolio`. */
  readonly portfolio: string;
  /** Its version in the portfolio, `vN`. */
  readonly version: string;
  /** Its aliases there. */
  readonly aliases: ReadonlyArray<string>;
  /** The version linked. */
  readonly artifact: Artifact;
}

/**
 * Links a version into a portfolio (Python's `artifact.link(target_path, aliases)`), e.g.
 * `acme/model-registry/production-models`; the portfolio is created if need be.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, linkArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const ship = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-cnn:best").pipe(
 *     Effect.flatMap((a) => linkArtifact(client, a, "acme/mnist/production-models", { aliases: ["champion"] })),
 *   );
 * ```
 */
export function linkArtifact(
  client: WandbClient,
  artifact: Artifact,
  targetPath: string,
  options?: { readonly aliases?: ReadonlyArray<string> | undefined },
): Effect.Effect<LinkedArtifact, ArtifactError> {
  return Effect.gen(function* () {
    const target = yield* parseArtifactPath(targetPath, {
      entity: artifact.entity,
      project: artifact.project,
    });
    if (target.name.includes(":")) {
      return yield* Effect.fail(
        invalid("targetPath", targetPath, "A link target is a portfolio, without a version"),
      );
    }
    yield* checkChanges({ aliases: options?.aliases });
    const portfolio = `${target.project.entity}/${target.project.project}/${target.name}`;
    const { features } = yield* client.capabilities;
    if (!features.has("ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE")) {
      // An older server answers with the index alone: the link is read back through the
      // portfolio, as the official client does there.
      const legacy = yield* client.execute(
        linkArtifactLegacyMutation(
          artifact.id,
          target.project,
          target.name,
          options?.aliases ?? [],
        ),
      );
      if (legacy.result === null) {
        return yield* Effect.fail(notFound("LinkArtifact", "artifact", artifact.qualifiedName));
      }
      const version = `v${legacy.result.versionIndex ?? 0}`;
      const name = `${target.name}:${version}`;
      const found = yield* client.execute(artifactByNameQuery(target.project, name, false));
      const node = found.project?.artifact ?? null;
      if (node === null) return yield* Effect.fail(notFound("ArtifactByName", "artifact", name));
      return {
        portfolio,
        version,
        // Its aliases in the portfolio: the node carries those of every collection it is in.
        aliases: (node.aliases ?? []).filter((a) => a.artifactCollection?.name === target.name)
          .map((a) => a.alias),
        artifact: toArtifact(node),
      };
    }
    const linked = yield* client.execute(
      linkArtifactMutation(artifact.id, target.project, target.name, options?.aliases ?? []),
    );
    const membership = linked.result?.artifactMembership ?? null;
    if (linked.result === null || membership === null || membership.artifact === null) {
      return yield* Effect.fail(notFound("LinkArtifact", "artifact", artifact.qualifiedName));
    }
    return {
      portfolio,
      version: `v${linked.result.versionIndex ?? 0}`,
      aliases: membership.aliases.map((a) => a.alias),
      artifact: toArtifact(membership.artifact),
    };
  });
}

/** What {@link saveArtifactCollection} changes; each field given is the value wanted. */
export interface CollectionChanges {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** The artifact type its versions move to (sequences only). */
  readonly type?: string | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
}

/**
 * Saves changes to a collection (Python's `collection.save()` after setting `name`,
 * `description`, `type`, `tags`; `change_type`). Returns the collection as the server now has it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifactCollection, saveArtifactCollection } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const describe = (client: WandbClient) =>
 *   getArtifactCollection(client, { entity: "acme", project: "mnist" }, "model", "mnist-cnn").pipe(
 *     Effect.flatMap((c) => saveArtifactCollection(client, c, { description: "CNNs", tags: ["cnn"] })),
 *   );
 * ```
 */
export function saveArtifactCollection(
  client: WandbClient,
  collection: ArtifactCollection,
  changes: CollectionChanges,
): Effect.Effect<ArtifactCollection, ArtifactError> {
  return Effect.gen(function* () {
    yield* checkChanges({ tags: changes.tags });
    if (changes.name !== undefined && !/^[-\w.]+$/.test(changes.name)) {
      return yield* Effect.fail(
        invalid("name", changes.name, "A collection name holds letters, digits, '-', '_' and '.'"),
      );
    }
    if (changes.type !== undefined && collection.kind !== "sequence") {
      return yield* Effect.fail(invalid("type", changes.type, "Only a sequence's type can change"));
    }
    let current = collection;
    if (changes.name !== undefined || changes.description !== undefined) {
      const updated = yield* client.execute(
        updateCollectionMutation(collection.kind, collection.id, changes),
      );
      if (updated.result !== null) {
        current = toArtifactCollection(updated.result.artifactCollection);
      }
    }
    if (changes.type !== undefined && changes.type !== current.type) {
      const moved = yield* client.execute(moveCollectionMutation(collection.id, changes.type));
      if (moved.result !== null) current = toArtifactCollection(moved.result.artifactCollection);
    }
    if (changes.tags !== undefined) {
      const wanted = new Set(changes.tags);
      const added = [...wanted].filter((t) => !current.tags.includes(t));
      const removed = current.tags.filter((t) => !wanted.has(t));
      if (added.length > 0) {
        yield* client.execute(collectionTagsMutation("add", current.project, current.name, added));
      }
      if (removed.length > 0) {
        yield* client.execute(
          collectionTagsMutation("delete", current.project, current.name, removed),
        );
      }
      current = { ...current, tags: [...wanted] };
    }
    return current;
  });
}

/**
 * Deletes a collection and its versions (Python's `collection.delete()`); returns it.
 *
 * @example
 * ```ts
 * import { type ArtifactCollection } from "@effect-wandb/api";
 * import { deleteArtifactCollection } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const remove = (client: WandbClient, c: ArtifactCollection) => deleteArtifactCollection(client, c);
 * ```
 */
export function deleteArtifactCollection(
  client: WandbClient,
  collection: ArtifactCollection,
): Effect.Effect<ArtifactCollection, RequestError> {
  return client.execute(deleteCollectionMutation(collection.kind, collection.id)).pipe(
    Effect.as(collection),
  );
}
