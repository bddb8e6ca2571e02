// The official client's own file and artifact operations (captured from wandb 0.26.1), posted
// as it posts them to the local server, one by one: each answer has the shape that client reads.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startEmulator } from "../../lib/testing/mod.ts";
import { postGraphql } from "../api/_harness.ts";

interface Captured {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

const captured: Array<Captured> = (await Deno.readTextFile(
  new URL("../fixtures/captured-requests-v0.26.1.jsonl", import.meta.url),
)).trim().split("\n").map((l) => JSON.parse(l)).filter((r) => r.json?.query !== undefined)
  .map((r) => ({ query: r.json.query, variables: r.json.variables ?? {} }));

/** The captured request of an operation whose variables hold `where`. */
const capturedOf = (name: string, where: (v: Record<string, unknown>) => boolean = () => true) => {
  const found = captured.find((c) =>
    new RegExp(`^\\s*(query|mutation) ${name}\\b`).test(c.query) && where(c.variables)
  );
  assert.ok(found !== undefined, `no captured ${name}`);
  return found;
};

Deno.test("the official client's file and artifact operations get the shapes it reads", async (t) => {
  const server = await startEmulator();
  try {
    const raw = server.seed.artifacts.filter((a) => a.collection === "mnist-raw");
    const logger = raw[0]!.loggedBy;
    const project = server.store.projects.get("acme", "mnist")!;
    const sequence = server.store.artifacts.collection(project.internalId, "mnist-raw")!;
    const v0 = server.store.artifacts.resolve(sequence, "v0")!.artifact;
    const id = btoa(`Artifact:${v0.id}`);
    const rename: Record<string, unknown> = {
      ent: "acme",
      proj: "mnist",
      r1: logger,
      ds: "mnist-raw",
      "ds:v0": "mnist-raw:v0",
      QXJ0aWZhY3Q6MTIz: id,
    };
    const remap = (value: unknown): unknown =>
      typeof value === "string"
        ? rename[value] ?? value
        : Array.isArray(value)
        ? value.map(remap)
        : typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v)]))
        : value;
    const post = async (request: Captured, key = server.apiKey) => {
      const { status, body } = await postGraphql(
        server.url,
        key,
        request.query,
        remap(request.variables),
        "W&B Public Client 0.26.1",
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };

    await t.step("RunFiles: files with url, directUrl, sizeBytes, md5; fileCount", async () => {
      const data = await post(capturedOf("RunFiles", (v) => (v.fileNames as []).length === 0));
      const run = data.project.run;
      assert.equal(run.fileCount, run.files.edges.length);
      const log = run.files.edges.find((e: { node: { name: string } }) =>
        e.node.name === "output.log"
      ).node;
      const text = await (await fetch(log.directUrl)).text();
      assert.equal(log.sizeBytes, new TextEncoder().encode(text).length);
      assert.equal(log.md5, createHash("md5").update(text).digest("base64"));
      // The file's own url answers with the key, as Python's File.download reads it.
      const viaUrl = await fetch(log.url, {
        headers: { authorization: `Basic ${btoa(`api:${server.apiKey}`)}` },
      });
      assert.equal(await viaUrl.text(), text);
    });
    await t.step(
      "CreateRunFiles: an upload URL that takes a PUT, then RunFiles lists it",
      async () => {
        const data = await post(capturedOf("CreateRunFiles"));
        const [file] = data.createRunFiles.files;
        assert.equal(file.name, "up.txt");
        assert.deepEqual(data.createRunFiles.uploadHeaders, []);
        assert.equal((await fetch(file.uploadUrl, { method: "PUT", body: "x" })).status, 200);
        const listed = await post(
          capturedOf("RunFiles", (v) => (v.fileNames as []).includes("up.txt" as never)),
        );
        assert.equal(listed.project.run.files.edges[0].node.sizeBytes, 1);
      },
    );
    await t.step("ProjectArtifactTypes, ProjectArtifactType", async () => {
      const types = await post(capturedOf("ProjectArtifactTypes"));
      assert.deepEqual(
        types.project.artifactTypes.edges.map((e: { node: { name: string } }) => e.node.name),
        ["dataset", "model", "job"],
      );
      const type = await post(capturedOf("ProjectArtifactType"));
      assert.equal(type.project.artifactType.__typename, "ArtifactType");
      assert.equal(type.project.artifactType.name, "dataset");
    });
    await t.step("ArtifactTypeArtifactCollections, ProjectArtifactCollection", async () => {
      const collections = await post(capturedOf("ArtifactTypeArtifactCollections"));
      const connection = collections.project.artifactType.artifactCollections;
      assert.equal(connection.totalCount, 2);
      assert.equal(connection.edges.length, 2);
      assert.equal(connection.edges[0].node.__typename, "ArtifactSequence");
      assert.equal(connection.edges[0].node.type.name, "dataset");
      const one = await post(capturedOf("ProjectArtifactCollection"));
      assert.equal(one.project.artifactType.artifactCollection.name, "mnist-raw");
      assert.equal(one.project.artifactType.artifactCollection.project.entity.name, "acme");
    });
    await t.step("ProjectArtifacts: versions newest first, with their version label", async () => {
      const data = await post(capturedOf("ProjectArtifacts", (v) => v.perPage === 50));
      const artifacts = data.project.artifactType.artifactCollection.artifacts;
      assert.equal(artifacts.totalCount, 2);
      assert.deepEqual(artifacts.edges.map((e: { version: string }) => e.version), ["v1", "v0"]);
      const node = artifacts.edges[1].node;
      assert.equal(node.__typename, "Artifact");
      assert.equal(node.artifactSequence.name, "mnist-raw");
      assert.equal(typeof node.metadata, "string");
      assert.deepEqual(JSON.parse(node.metadata), raw[0]!.metadata);
      assert.equal(node.ttlDurationSeconds, -2);
      assert.deepEqual(node.aliases.map((a: { alias: string }) => a.alias), ["baseline"]);
    });
    await t.step(
      "ArtifactByName, FetchArtifactManifest and the manifest from storage",
      async () => {
        const data = await post(capturedOf("ArtifactByName", (v) => v.name === "ds:v0"));
        assert.equal(data.project.artifact.id, id);
        const manifestUrl =
          (await post(capturedOf("FetchArtifactManifest"))).artifact.currentManifest
            .file.directUrl;
        const manifest = await (await fetch(manifestUrl)).json();
        assert.equal(manifest.version, 1);
        assert.equal(manifest.storagePolicy, "wandb-storage-policy-v1");
        assert.deepEqual(
          Object.keys(manifest.contents).sort(),
          raw[0]!.entries.map((e) => e.path).sort(),
        );
        assert.equal(manifest.contents["train.csv"].birthArtifactID, id);
      },
    );
    await t.step("GetArtifactFiles and GetArtifactFileUrls", async () => {
      const files = await post(capturedOf("GetArtifactFiles"));
      const edges = files.project.artifactType.artifact.files.edges;
      assert.equal(edges.length, raw[0]!.entries.length);
      assert.ok(
        edges.every((e: { node: { md5: string; name: string } }) => e.node.md5.length === 24),
      );
      const urls = await post(capturedOf("GetArtifactFileUrls"));
      for (const { node } of urls.artifact.files.edges) {
        assert.equal((await fetch(node.directUrl)).status, 200, node.name);
      }
    });
    await t.step("RunOutputArtifacts and RunInputArtifacts", async () => {
      const out = await post(capturedOf("RunOutputArtifacts"));
      assert.ok(out.project.run.artifacts.totalCount >= 1);
      assert.equal(out.project.run.artifacts.edges[0].node.id, id);
      const inputs = await post(capturedOf("RunInputArtifacts"));
      assert.equal(inputs.project.run.artifacts.edges.length, 0);
    });
    await t.step("AddAliases, UpdateArtifact, DeleteArtifact", async () => {
      assert.equal((await post(capturedOf("AddAliases"))).result.success, true);
      const updated = await post(capturedOf("UpdateArtifact"));
      assert.deepEqual(JSON.parse(updated.result.artifact.metadata), { k: 1 });
      assert.ok(
        updated.result.artifact.aliases.some((a: { alias: string }) => a.alias === "best"),
      );
      const deleted = await post(capturedOf("DeleteArtifact"));
      assert.equal(deleted.result.artifact.id, id);
      assert.equal(server.store.artifacts.artifact(v0.id)!.state, "DELETED");
    });
  } finally {
    await server.close();
  }
});

Deno.test("the official client 0.30's membership lookups get the shapes it reads", async (t) => {
  // wandb 0.30 asks for a version as a collection member (Project.artifactCollectionMembership)
  // and lists its files through ArtifactCollection.artifactMembership; it ran its own
  // artifact.download() against this server (bench:artifacts with WANDB_PYTHON). Our documents
  // ask for the fields it reads.
  const server = await startEmulator();
  const post = async (query: string, variables: Record<string, unknown>) => {
    const { status, body } = await postGraphql(server.url, server.apiKey, query, variables);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  };
  try {
    const seeded = server.seed.artifacts.filter((a) => a.collection === "mnist-raw");
    const membership = `query M($name: String!) {
      project(name: "mnist", entityName: "acme") {
        artifactCollectionMembership(name: $name) {
          id versionIndex createdAt
          aliases { alias }
          artifactCollection { name project { name entity { name } } }
          artifact { id versionIndex description state createdAt }
        }
      }
    }`;
    await t.step("a version by alias and by vN, with its aliases in that collection", async () => {
      const byAlias = (await post(membership, { name: "mnist-raw:baseline" })).project
        .artifactCollectionMembership;
      assert.equal(byAlias.versionIndex, 0);
      assert.equal(byAlias.artifact.description, seeded[0]!.description);
      assert.deepEqual(byAlias.aliases.map((a: { alias: string }) => a.alias), ["baseline"]);
      assert.equal(byAlias.createdAt, byAlias.artifact.createdAt);
      assert.deepEqual(byAlias.artifactCollection, {
        name: "mnist-raw",
        project: { name: "mnist", entity: { name: "acme" } },
      });
      const latest = (await post(membership, { name: "mnist-raw:v1" })).project
        .artifactCollectionMembership;
      assert.equal(latest.artifact.description, seeded[1]!.description);
      assert.deepEqual(
        latest.aliases.map((a: { alias: string }) => a.alias).sort(),
        ["latest", "prod"],
      );
    });
    await t.step("an unknown version or collection is null, not an error", async () => {
      for (const name of ["mnist-raw:v99", "nope:v0", "mnist-raw:nope"]) {
        const data = await post(membership, { name });
        assert.equal(data.project.artifactCollectionMembership, null, name);
      }
    });
    await t.step("a member's files, paged, with URLs whose bytes match their md5", async () => {
      const files = `query F($alias: String!, $cursor: String) {
        project(name: "mnist", entityName: "acme") {
          artifactCollection(name: "mnist-raw") {
            artifactMembership(aliasName: $alias) {
              files(after: $cursor, first: 2) {
                pageInfo { hasNextPage endCursor }
                edges { node { name directUrl md5 sizeBytes } }
              }
            }
          }
        }
      }`;
      const names: Array<string> = [];
      let cursor: string | null = null;
      do {
        const page: {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: Array<
            { node: { name: string; directUrl: string; md5: string; sizeBytes: number } }
          >;
        } = (await post(files, { alias: "baseline", cursor })).project.artifactCollection
          .artifactMembership.files;
        for (const { node } of page.edges) {
          names.push(node.name);
          const bytes = new Uint8Array(await (await fetch(node.directUrl)).arrayBuffer());
          assert.equal(bytes.length, node.sizeBytes, node.name);
          assert.equal(createHash("md5").update(bytes).digest("base64"), node.md5, node.name);
        }
        cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (cursor !== null);
      assert.deepEqual(names.sort(), seeded[0]!.entries.map((e) => e.path).sort());
      const missing = await post(files, { alias: "v99", cursor: null });
      assert.equal(missing.project.artifactCollection.artifactMembership, null);
    });
  } finally {
    await server.close();
  }
});
