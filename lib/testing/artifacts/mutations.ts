/**
 * The local server's artifact mutations: create, use, link and unlink versions, change their
 * aliases, tags, descriptions and metadata, and change, move or delete collections.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { StoredCollection } from "./store.ts";
import type { ResolverContext } from "../resource.ts";
import {
  type AliasInput,
  artifactById,
  artifactView,
  collectionById,
  collectionView,
  membershipView,
  projectFor,
  projectOf,
  tagNames,
  tagView,
} from "./resolvers.ts";

/** Mutation root fields about artifacts. */
export const artifactMutations = {
  updateArtifact: (
    { input }: {
      input: {
        artifactID: string;
        description?: string | null;
        metadata?: string | null;
        ttlDurationSeconds?: number | null;
        tagsToAdd?: ReadonlyArray<{ tagName: string }> | null;
        tagsToDelete?: ReadonlyArray<{ tagName: string }> | null;
        aliases?: ReadonlyArray<AliasInput> | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID);
    if (input.metadata !== null && input.metadata !== undefined) {
      try {
        const parsed = JSON.parse(input.metadata);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw 0;
      } catch {
        throw new GraphQLError("invalid metadata: not a JSON object");
      }
    }
    const updated = ctx.store.artifacts.updateArtifact(artifact, {
      description: input.description ?? undefined,
      metadata: input.metadata ?? undefined,
      ttl: input.ttlDurationSeconds ?? undefined,
      tagsToAdd: tagNames(input.tagsToAdd),
      tagsToDelete: tagNames(input.tagsToDelete),
    });
    return { artifact: artifactView(ctx, updated) };
  },
  addAliases: (
    { input }: { input: { artifactID: string; aliases: ReadonlyArray<AliasInput> } },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID);
    for (const a of input.aliases) {
      const project = projectFor(ctx, a.entityName, a.projectName);
      const c = ctx.store.artifacts.collection(project.internalId, a.artifactCollectionName);
      if (c === undefined) {
        throw new GraphQLError(`collection ${a.artifactCollectionName} does not exist`);
      }
      if (a.alias.length === 0 || /^v\d+$/.test(a.alias) || a.alias.includes(":")) {
        throw new GraphQLError(`invalid alias ${JSON.stringify(a.alias)}`);
      }
      ctx.store.artifacts.setAlias(c.id, a.alias, artifact.id);
    }
    return { success: true };
  },
  deleteAliases: (
    { input }: { input: { artifactID: string; aliases: ReadonlyArray<AliasInput> } },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID);
    for (const a of input.aliases) {
      const project = projectFor(ctx, a.entityName, a.projectName);
      const c = ctx.store.artifacts.collection(project.internalId, a.artifactCollectionName);
      if (c !== undefined) ctx.store.artifacts.removeAlias(c.id, a.alias, artifact.id);
    }
    return { success: true };
  },
  deleteArtifact: (
    { input }: { input: { artifactID: string; deleteAliases?: boolean | null } },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID);
    const aliases = ctx.store.artifacts.aliases(artifact.id).filter((a) => a.alias !== "latest");
    if (aliases.length > 0 && input.deleteAliases !== true) {
      throw new GraphQLError(
        `cannot delete artifact with aliases (${
          aliases.map((a) => a.alias).join(", ")
        }): delete its aliases too`,
      );
    }
    return { artifact: artifactView(ctx, ctx.store.artifacts.deleteArtifact(artifact)) };
  },
  updateArtifactSequence: (
    { input }: {
      input: { artifactSequenceID: string; name?: string | null; description?: string | null };
    },
    ctx: ResolverContext,
  ) => updateCollection(ctx, input.artifactSequenceID, input),
  updateArtifactPortfolio: (
    { input }: {
      input: { artifactPortfolioID: string; name?: string | null; description?: string | null };
    },
    ctx: ResolverContext,
  ) => updateCollection(ctx, input.artifactPortfolioID, input),
  deleteArtifactSequence: (
    { input }: { input: { artifactSequenceID: string } },
    ctx: ResolverContext,
  ) => deleteCollection(ctx, input.artifactSequenceID),
  deleteArtifactPortfolio: (
    { input }: { input: { artifactPortfolioID: string } },
    ctx: ResolverContext,
  ) => deleteCollection(ctx, input.artifactPortfolioID),
  moveArtifactSequence: (
    { input }: { input: { artifactSequenceID: string; destinationArtifactTypeName: string } },
    ctx: ResolverContext,
  ) => {
    const c = collectionById(ctx, input.artifactSequenceID);
    if (c.kind !== "sequence") throw new GraphQLError("only a sequence's type can change");
    const type = ctx.store.artifacts.type(c.projectId, input.destinationArtifactTypeName, true)!;
    return {
      artifactCollection: collectionView(
        ctx,
        ctx.store.artifacts.updateCollection(c, { typeId: type.id }),
      ),
    };
  },
  createArtifactCollectionTagAssignments: (
    { input }: {
      input: {
        entityName: string;
        projectName: string;
        artifactCollectionName: string;
        tags: ReadonlyArray<{ tagName: string }>;
      };
    },
    ctx: ResolverContext,
  ) => {
    const c = namedCollection(ctx, input);
    const tags = tagNames(input.tags);
    ctx.store.artifacts.setCollectionTags(c.id, tags, []);
    return { tags: tags.map(tagView) };
  },
  deleteArtifactCollectionTagAssignments: (
    { input }: {
      input: {
        entityName: string;
        projectName: string;
        artifactCollectionName: string;
        tags: ReadonlyArray<{ tagName: string }>;
      };
    },
    ctx: ResolverContext,
  ) => {
    const c = namedCollection(ctx, input);
    ctx.store.artifacts.setCollectionTags(c.id, [], tagNames(input.tags));
    return { success: true };
  },
  linkArtifact: (
    { input }: {
      input: {
        artifactID?: string | null;
        artifactPortfolioName?: string | null;
        entityName?: string | null;
        projectName?: string | null;
        aliases?: ReadonlyArray<{ alias: string }> | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID ?? "");
    const sequence = ctx.store.artifacts.collectionById(artifact.sequenceId)!;
    const home = projectOf(ctx, sequence.projectId);
    const project = projectFor(
      ctx,
      input.entityName ?? home.entity,
      input.projectName ?? home.name,
    );
    const name = input.artifactPortfolioName ?? "";
    if (name.length === 0) throw new GraphQLError("linkArtifact needs artifactPortfolioName");
    const type = ctx.store.artifacts.type(
      project.internalId,
      ctx.store.artifacts.typeById(sequence.typeId)!.name,
      true,
    )!;
    let portfolio = ctx.store.artifacts.collection(project.internalId, name);
    if (portfolio !== undefined && portfolio.kind !== "portfolio") {
      throw new GraphQLError(`${name} is a sequence: artifacts are linked into portfolios`);
    }
    portfolio ??= ctx.store.artifacts.createCollection(type, name, "portfolio");
    const versionIndex = ctx.store.artifacts.link(
      portfolio,
      artifact.id,
      (input.aliases ?? []).map((a) => a.alias),
    );
    return {
      versionIndex,
      artifactMembership: membershipView(ctx, artifact, { collection: portfolio, versionIndex }),
    };
  },
  unlinkArtifact: (
    { input }: { input: { artifactID: string; artifactPortfolioID: string } },
    ctx: ResolverContext,
  ) => {
    const artifact = artifactById(ctx, input.artifactID);
    const portfolio = collectionById(ctx, input.artifactPortfolioID);
    return { success: ctx.store.artifacts.unlink(portfolio.id, artifact.id) };
  },
  useArtifact: (
    { input }: {
      input: { entityName: string; projectName: string; runName: string; artifactID: string };
    },
    ctx: ResolverContext,
  ) => {
    ctx.checkEntity(input.entityName);
    const run = ctx.store.runs.get(input.entityName, input.projectName, input.runName);
    if (run === undefined) {
      throw new GraphQLError(
        `run ${input.entityName}/${input.projectName}/${input.runName} does not exist`,
      );
    }
    const artifact = artifactById(ctx, input.artifactID);
    ctx.store.artifacts.addRun(run.seq, artifact.id, "input");
    return { artifact: artifactView(ctx, artifact) };
  },
  createArtifact: (
    { input }: {
      input: {
        artifactTypeName: string;
        artifactCollectionNames?: ReadonlyArray<string> | null;
        entityName: string;
        projectName: string;
        runName?: string | null;
        digest: string;
        aliases?: ReadonlyArray<{ alias: string; artifactCollectionName: string }> | null;
        tags?: ReadonlyArray<{ tagName: string }> | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    // Through the public API a run can only log a version that exists (Python's
    // `Run.log_artifact` refuses drafts): the digest must name one of the collection's versions.
    const project = projectFor(ctx, input.entityName, input.projectName);
    const name = input.artifactCollectionNames?.[0] ?? "";
    const collection = ctx.store.artifacts.collection(project.internalId, name);
    const existing = collection === undefined
      ? undefined
      : ctx.store.artifacts.members(collection.id).find((m) => m.artifact.digest === input.digest);
    if (collection === undefined || existing === undefined) {
      throw new GraphQLError(
        `no version of ${name} has digest ${input.digest}: upload its files first (not supported by this server)`,
      );
    }
    const run = input.runName === null || input.runName === undefined
      ? undefined
      : ctx.store.runs.get(input.entityName, input.projectName, input.runName);
    if (run !== undefined) ctx.store.artifacts.addRun(run.seq, existing.artifact.id, "output");
    for (const alias of input.aliases ?? []) {
      ctx.store.artifacts.setAlias(collection.id, alias.alias, existing.artifact.id);
    }
    const updated = ctx.store.artifacts.updateArtifact(existing.artifact, {
      tagsToAdd: tagNames(input.tags),
    });
    return { artifact: artifactView(ctx, updated) };
  },
};

/** Marks a collection deleted (a sequence or a portfolio alike). */
function deleteCollection(ctx: ResolverContext, id: string) {
  const c = collectionById(ctx, id);
  return {
    artifactCollection: collectionView(
      ctx,
      ctx.store.artifacts.updateCollection(c, { deleted: true }),
    ),
  };
}

function updateCollection(
  ctx: ResolverContext,
  id: string,
  input: { name?: string | null; description?: string | null },
) {
  const c = collectionById(ctx, id);
  if (input.name !== null && input.name !== undefined) {
    if (!/^[-\w.]+$/.test(input.name)) {
      throw new GraphQLError(`invalid collection name ${input.name}`);
    }
    const clash = ctx.store.artifacts.collection(c.projectId, input.name);
    if (clash !== undefined && clash.id !== c.id) {
      throw new GraphQLError(`a collection named ${input.name} exists`);
    }
  }
  const updated = ctx.store.artifacts.updateCollection(c, {
    name: input.name ?? undefined,
    description: input.description ?? undefined,
  });
  return { artifactCollection: collectionView(ctx, updated) };
}

function namedCollection(
  ctx: ResolverContext,
  input: { entityName: string; projectName: string; artifactCollectionName: string },
): StoredCollection {
  const project = projectFor(ctx, input.entityName, input.projectName);
  const c = ctx.store.artifacts.collection(project.internalId, input.artifactCollectionName);
  if (c === undefined) {
    throw new GraphQLError(`collection ${input.artifactCollectionName} does not exist`);
  }
  return c;
}
