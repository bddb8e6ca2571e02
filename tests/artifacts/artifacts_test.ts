// Artifacts over real HTTP against the local server: types, collections, versions, manifests,
// verified downloads, verification, mutations, links, lineage and permissions.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { filesUnder } from "../../lib/artifacts/download.ts";
import { Effect, Stream } from "effect";
import {
  Api,
  type Artifact,
  ChecksumError,
  GraphqlError,
  InvalidArgumentError,
  NotFoundError,
} from "../../mod.ts";
import {
  type Emulator,
  generatedBytes,
  LocalServer,
  manifestDigest,
  type SeedArtifact,
  testApiLayer,
  type TestApiOptions,
} from "../../lib/testing/mod.ts";
import { countOperation } from "../api/_harness.ts";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("base64");

async function entryBytes(entry: SeedArtifact["entries"][number]): Promise<Uint8Array> {
  if (entry.text !== undefined) return new TextEncoder().encode(entry.text);
  return new Uint8Array(
    await new Response(generatedBytes(entry.seed!, 0, entry.size!)).arrayBuffer(),
  );
}

/** The seed's versions of a collection, in the order they were logged (v0 first). */
const seeded = (server: Emulator, collection: string) =>
  server.seed.artifacts.filter((a) => a.collection === collection);

async function withArtifacts<A, E>(
  body: (dir: string) => Effect.Effect<A, E, Api | Emulator>,
  options?: TestApiOptions,
) {
  const dir = await Deno.makeTempDir();
  try {
    return await Effect.runPromise(
      Effect.scoped(body(dir).pipe(Effect.provide(testApiLayer(options)))),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const storageGets = (server: Emulator) =>
  server.requests.filter((r) => r.path.startsWith("/_storage/") && r.method === "GET");

Deno.test("types, collections and versions list lazily, newest version first", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const types = yield* Stream.runCollect(api.artifactTypes("acme/mnist"));
      const model = yield* api.artifactType("model", "acme/mnist");
      const missingType = yield* Effect.flip(api.artifactType("nope", "acme/mnist"));
      const collections = yield* Stream.runCollect(api.artifactCollections("acme/mnist", "model"));
      const cnn = yield* api.artifactCollection("model", "acme/mnist/mnist-cnn");
      const exists = yield* api.artifactCollectionExists("acme/mnist/mnist-cnn", "model");
      const absent = yield* api.artifactCollectionExists("acme/mnist/nope", "model");
      server.resetRequests();
      const versions = yield* Stream.runCollect(
        api.artifacts("model", "acme/mnist/mnist-cnn", { perPage: 1 }),
      );
      const pages = countOperation(server, "ProjectArtifacts");
      const curated = yield* Stream.runCollect(
        api.artifacts("dataset", "acme/mnist/mnist-raw", { tags: ["curated"] }),
      );
      return {
        types,
        model,
        missingType,
        collections,
        cnn,
        exists,
        absent,
        versions,
        pages,
        curated,
      };
    })
  );
  assert.deepEqual(r.types.map((t) => t.name), ["dataset", "model", "job"]);
  assert.equal(r.model.name, "model");
  assert.ok(r.missingType instanceof NotFoundError);
  assert.deepEqual(r.collections.map((c) => [c.name, c.kind]), [
    ["mnist-cnn", "sequence"],
    ["production-models", "portfolio"],
  ]);
  assert.deepEqual(r.cnn.tags, ["cnn", "pytorch"]);
  assert.equal(r.cnn.path, "acme/mnist/mnist-cnn");
  assert.equal(r.exists, true);
  assert.equal(r.absent, false);
  assert.deepEqual(r.versions.map((a) => a.version), ["v2", "v1", "v0"]);
  assert.equal(r.pages, 3);
  assert.deepEqual(r.curated.map((a) => a.name), ["mnist-raw:v1"]);
});

Deno.test("artifact() finds versions by alias and vN, with the server's fields decoded", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const prod = yield* api.artifact("acme/mnist/mnist-raw:prod", { type: "dataset" });
      const v0 = yield* api.artifact("acme/mnist/mnist-raw:v0");
      const latest = yield* api.artifact("acme/mnist/mnist-raw");
      const wrongType = yield* Effect.flip(
        api.artifact("acme/mnist/mnist-raw:v0", { type: "model" }),
      );
      const missing = yield* Effect.flip(api.artifact("acme/mnist/mnist-raw:v9"));
      const exists = yield* api.artifactExists("acme/mnist/mnist-raw:v9");
      const badPath = yield* Effect.flip(api.artifact("a/b/c/d"));
      const manifest = yield* api.artifactManifest(prod);
      const entry = yield* api.artifactEntry(prod, "labels.json");
      const files = yield* Stream.runCollect(api.artifactFiles(prod, { perPage: 2 }));
      return {
        seed: seeded(server, "mnist-raw"),
        prod,
        v0,
        latest,
        wrongType,
        missing,
        exists,
        badPath,
        manifest,
        entry,
        files,
      };
    })
  );
  const [seedV0, seedV1] = r.seed as [SeedArtifact, SeedArtifact];
  // Named as asked, as Python names it; the version is still vN.
  assert.equal(r.prod.qualifiedName, "acme/mnist/mnist-raw:prod");
  assert.equal(r.prod.name, "mnist-raw:prod");
  assert.equal(r.prod.version, "v1");
  assert.deepEqual([...r.prod.aliases].sort(), ["latest", "prod"]);
  assert.deepEqual(r.prod.tags, ["curated"]);
  assert.deepEqual(r.prod.metadata, seedV1.metadata);
  assert.equal(r.prod.description, seedV1.description);
  assert.equal(r.prod.ttl, null);
  assert.equal(r.prod.fileCount, seedV1.entries.length);
  const bytes = await Promise.all(seedV1.entries.map(entryBytes));
  assert.equal(r.prod.size, bytes.reduce((n, b) => n + b.length, 0));
  assert.equal(
    r.prod.digest,
    manifestDigest(seedV1.entries.map((e, i) => ({ path: e.path, digest: md5(bytes[i]!) }))),
  );
  assert.deepEqual(r.v0.aliases, ["baseline"]);
  assert.equal(r.v0.description, seedV0.description);
  assert.equal(r.latest.id, r.prod.id);
  assert.equal(r.latest.name, "mnist-raw:latest");
  assert.ok(r.wrongType instanceof InvalidArgumentError);
  assert.ok(r.missing instanceof NotFoundError);
  assert.equal(r.exists, false);
  assert.ok(r.badPath instanceof InvalidArgumentError);
  assert.deepEqual(r.manifest.entries.map((e) => e.path), seedV1.entries.map((e) => e.path).sort());
  for (const e of r.manifest.entries) {
    const i = seedV1.entries.findIndex((s) => s.path === e.path);
    assert.equal(e.digest, md5(bytes[i]!));
    assert.equal(e.size, bytes[i]!.length);
  }
  assert.equal(r.entry.path, "labels.json");
  assert.deepEqual(r.files.map((f) => f.name).sort(), seedV1.entries.map((e) => e.path).sort());
});

Deno.test("downloadArtifact() verifies every file, re-fetches only what is missing or wrong, and verify/checkout agree", async () => {
  const r = await withArtifacts((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const prod = yield* api.artifact("acme/mnist/mnist-raw:prod");
      const root = `${dir}/raw`;
      server.resetRequests();
      const first = yield* api.downloadArtifact(prod, { root, concurrency: 3 });
      const firstGets = storageGets(server);
      server.resetRequests();
      const again = yield* api.downloadArtifact(prod, { root });
      const againGets = storageGets(server).filter((g) => !g.path.includes("manifest"));
      yield* Effect.promise(() => Deno.writeTextFile(`${root}/labels.json`, "tampered"));
      yield* Effect.promise(() => Deno.remove(`${root}/images/0.png`));
      const broken = yield* Effect.flip(api.verifyArtifact(prod, root));
      server.resetRequests();
      const repaired = yield* api.downloadArtifact(prod, { root });
      const repairGets = storageGets(server).filter((g) => !g.path.includes("manifest"));
      yield* api.verifyArtifact(prod, root);
      yield* Effect.promise(() => Deno.writeTextFile(`${root}/stray.txt`, "x"));
      const stray = yield* Effect.flip(api.verifyArtifact(prod, root));
      yield* api.checkoutArtifact(prod, root);
      const afterCheckout = yield* Effect.promise(async () => (await filesUnder(root)).sort());
      const images = yield* api.downloadArtifact(prod, {
        root: `${dir}/images`,
        pathPrefix: "images/",
      });
      const onDisk = yield* Effect.promise(() =>
        Promise.all(
          first.files.map(async (f) => [f.path, md5(await Deno.readFile(f.localPath))] as const),
        )
      );
      return {
        onDisk,
        seed: seeded(server, "mnist-raw")[1]!,
        first,
        firstGets,
        again,
        againGets,
        broken,
        repaired,
        repairGets,
        stray,
        afterCheckout,
        images,
        root,
      };
    })
  );
  assert.equal(r.first.files.length, r.seed.entries.length);
  assert.ok(r.first.files.every((f) => f.status === "downloaded"));
  const onDisk = new Map(r.onDisk);
  for (const e of r.seed.entries) {
    assert.equal(onDisk.get(e.path), md5(await entryBytes(e)), e.path);
  }
  assert.ok(r.firstGets.every((g) => !g.credentials));
  assert.equal(r.firstGets.length, r.seed.entries.length + 1); // + the manifest
  assert.ok(r.again.files.every((f) => f.status === "verified"));
  assert.equal(r.againGets.length, 0);
  assert.ok(r.broken instanceof ChecksumError);
  assert.deepEqual(
    r.repaired.files.filter((f) => f.status === "downloaded").map((f) => f.path).sort(),
    ["images/0.png", "labels.json"],
  );
  assert.equal(r.repairGets.length, 2);
  assert.ok(r.stray instanceof ChecksumError && r.stray.path === "stray.txt");
  assert.deepEqual(r.afterCheckout, r.seed.entries.map((e) => e.path).sort());
  assert.deepEqual(r.images.files.map((f) => f.path).sort(), [
    "images/0.png",
    "images/shard-0.bin",
  ]);
});

Deno.test("files whose signed URLs expired share one request for new ones", async () => {
  const r = await withArtifacts(
    (dir) =>
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const prod = yield* api.artifact("acme/mnist/mnist-raw:prod");
        server.resetRequests();
        // The URLs (asked for beside the manifest) have expired when the files are fetched.
        server.injectFaults({ kind: "staleUrls", operationName: "GetArtifactFileUrls" });
        const done = yield* api.downloadArtifact(prod, { root: `${dir}/raw`, concurrency: 3 });
        const statuses = storageGets(server).filter((g) => !g.path.includes("manifest"))
          .map((g) => g.status);
        return {
          done,
          statuses,
          urlLookups: countOperation(server, "GetArtifactFileUrls"),
          seed: seeded(server, "mnist-raw")[1]!,
        };
      }),
  );
  const files = r.seed.entries.length;
  assert.ok(files > 3);
  assert.equal(r.done.files.length, files);
  // Each file refused once (three at once, the rest after the new URLs came), then fetched.
  assert.equal(r.statuses.filter((s) => s === 403).length, files);
  assert.equal(r.statuses.filter((s) => s === 200).length, files);
  // One lookup before the download, one for every refused file (one each, without sharing).
  assert.equal(r.urlLookups, 2);
});

Deno.test("references that cannot be fetched fail the download unless allowed; unsafe manifest paths write nothing", async () => {
  const r = await withArtifacts((dir) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const withRef = yield* api.artifact("acme/mnist/mnist-cnn:v2");
      const refused = yield* Effect.flip(api.downloadArtifact(withRef, { root: `${dir}/a` }));
      const allowed = yield* api.downloadArtifact(withRef, {
        root: `${dir}/b`,
        allowMissingReferences: true,
      });
      const odd = yield* api.artifact("acme/mnist/odd-paths:latest");
      const unsafe = yield* Effect.flip(api.downloadArtifact(odd, { root: `${dir}/c/root` }));
      const written = yield* Effect.promise(async () => {
        const names: Array<string> = [];
        for await (const e of Deno.readDir(dir)) names.push(e.name);
        return names.sort();
      });
      return { refused, allowed, unsafe, written };
    })
  );
  assert.ok(r.refused instanceof NotFoundError);
  assert.match(r.refused.message, /s3:\/\/acme-models\/mnist-cnn\/extra\/weights\.bin/);
  assert.deepEqual(r.allowed.skippedReferences, ["extra/weights.bin"]);
  assert.deepEqual(r.allowed.files.map((f) => f.path).sort(), ["config.yaml", "model.pt"]);
  assert.ok(r.unsafe instanceof InvalidArgumentError);
  assert.match(r.unsafe.message, /outside\.txt/);
  // The refused download stopped before writing anything; so did the unsafe one.
  assert.deepEqual(r.written, ["b"]);
});

Deno.test("saveArtifact() changes description, metadata, aliases and tags; bad input sends nothing", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const v0 = yield* api.artifact("acme/mnist/mnist-cnn:v0");
      const saved = yield* api.saveArtifact(v0, {
        description: "re-described",
        metadata: { accuracy: 0.95, notes: ["a", "b"] },
        aliases: [...v0.aliases, "candidate"],
        tags: ["reviewed", "small model"],
        ttl: 86_400,
      });
      const reread = yield* api.artifact("acme/mnist/mnist-cnn:candidate");
      const dropped = yield* api.saveArtifact(reread, { aliases: [], tags: ["reviewed"] });
      server.resetRequests();
      const bad = yield* Effect.all([
        Effect.flip(api.saveArtifact(v0, { aliases: ["v3"] })),
        Effect.flip(api.saveArtifact(v0, { aliases: ["a/b"] })),
        Effect.flip(api.saveArtifact(v0, { tags: ["bad!tag"] })),
        Effect.flip(api.saveArtifact(v0, { metadata: { loss: NaN } })),
        Effect.flip(api.saveArtifact(v0, { ttl: -5 })),
      ]);
      const sent = server.requests.length;
      const gone = yield* Effect.flip(api.artifact("acme/mnist/mnist-cnn:candidate"));
      return { saved, reread, dropped, bad, sent, gone };
    })
  );
  assert.equal(r.saved.description, "re-described");
  assert.deepEqual(r.saved.metadata, { accuracy: 0.95, notes: ["a", "b"] });
  assert.deepEqual([...r.saved.tags].sort(), ["reviewed", "small model"]);
  assert.equal(r.saved.ttl, 86_400);
  assert.ok(r.saved.aliases.includes("candidate"));
  assert.equal(r.reread.id, r.saved.id);
  assert.deepEqual(r.dropped.tags, ["reviewed"]);
  assert.ok(r.bad.every((e) => e instanceof InvalidArgumentError), String(r.bad));
  assert.equal(r.sent, 0);
  assert.ok(r.gone instanceof NotFoundError);
});

Deno.test("deleteArtifact() needs deleteAliases for a version with aliases; linkArtifact() links into a portfolio", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const api = yield* Api;
      const best = yield* api.artifact("acme/mnist/mnist-cnn:best");
      const refused = yield* Effect.flip(api.deleteArtifact(best));
      const stillThere = yield* api.artifactExists("acme/mnist/mnist-cnn:best");
      const v0 = yield* api.artifact("acme/mnist/mnist-cnn:v0");
      const linked = yield* api.linkArtifact(v0, "acme/mnist/production-models", {
        aliases: ["staging"],
      });
      const viaPortfolio = yield* api.artifact("acme/mnist/production-models:staging");
      const champion = yield* api.artifact("acme/mnist/production-models:champion");
      const deleted = yield* api.deleteArtifact(best, { deleteAliases: true });
      const after = yield* Effect.flip(api.artifact("acme/mnist/mnist-cnn:best"));
      const versions = yield* Stream.runCollect(api.artifacts("model", "acme/mnist/mnist-cnn"));
      return {
        best,
        refused,
        stillThere,
        linked,
        viaPortfolio,
        champion,
        deleted,
        after,
        versions,
      };
    })
  );
  assert.ok(r.refused instanceof GraphqlError);
  assert.equal(r.stillThere, true);
  assert.equal(r.linked.portfolio, "acme/mnist/production-models");
  assert.equal(r.linked.version, "v1");
  assert.ok(r.linked.aliases.includes("staging"));
  // Python's name of a link fetched through its portfolio: the path asked for.
  assert.equal(r.viaPortfolio.name, "production-models:staging");
  assert.equal(r.viaPortfolio.collection, "mnist-cnn");
  assert.equal(r.viaPortfolio.version, "v0");
  assert.equal(r.champion.id, r.best.id);
  assert.equal(r.deleted.state, "DELETED");
  assert.ok(r.after instanceof NotFoundError);
  assert.deepEqual(r.versions.map((a) => a.version), ["v2", "v0"]);
});

Deno.test("collections: save name, description, tags and type; delete", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const api = yield* Api;
      const odd = yield* api.artifactCollection("dataset", "acme/mnist/odd-paths");
      const saved = yield* api.saveArtifactCollection(odd, {
        name: "odd-paths-renamed",
        description: "renamed",
        tags: ["quarantine"],
      });
      const reread = yield* api.artifactCollection("dataset", "acme/mnist/odd-paths-renamed");
      const moved = yield* api.saveArtifactCollection(reread, { type: "quarantined" });
      const asNewType = yield* api.artifactCollection(
        "quarantined",
        "acme/mnist/odd-paths-renamed",
      );
      const badName = yield* Effect.flip(api.saveArtifactCollection(reread, { name: "a b" }));
      yield* api.deleteArtifactCollection(asNewType);
      const gone = yield* api.artifactCollectionExists(
        "acme/mnist/odd-paths-renamed",
        "quarantined",
      );
      return { saved, reread, moved, asNewType, badName, gone };
    })
  );
  assert.equal(r.saved.name, "odd-paths-renamed");
  assert.equal(r.reread.description, "renamed");
  assert.deepEqual(r.reread.tags, ["quarantine"]);
  assert.equal(r.moved.type, "quarantined");
  assert.equal(r.asNewType.id, r.saved.id);
  assert.ok(r.badName instanceof InvalidArgumentError);
  assert.equal(r.gone, false);
});

Deno.test("lineage: logged and used artifacts, loggedBy and usedBy, useArtifact and logArtifact", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const [v0Seed, v1Seed] = seeded(server, "mnist-raw") as [SeedArtifact, SeedArtifact];
      const runA = `acme/mnist/${v0Seed.loggedBy}`;
      const logged = yield* Stream.runCollect(api.loggedArtifacts(runA));
      const used = yield* Stream.runCollect(api.usedArtifacts(`acme/mnist/${v1Seed.loggedBy}`));
      const v1 = yield* api.artifact("acme/mnist/mnist-raw:v1");
      const loggedBy = yield* api.artifactLoggedBy(v1);
      const usedBy = yield* api.artifactUsedBy(v1);
      const cnn = yield* api.artifact("acme/mnist/mnist-cnn:v0");
      yield* api.useArtifact(runA, cnn);
      const usedAfter = yield* Stream.runCollect(api.usedArtifacts(runA));
      const relogged = yield* api.logArtifact(runA, cnn, { aliases: ["from-a"] });
      const loggedAfter = yield* Stream.runCollect(api.loggedArtifacts(runA));
      const foreign = yield* Effect.flip(api.logArtifact("alice/scratch/x", cnn));
      return {
        v0Seed,
        v1Seed,
        logged,
        used,
        loggedBy,
        usedBy,
        usedAfter,
        relogged,
        loggedAfter,
        foreign,
        cnn,
      };
    })
  );
  assert.deepEqual(r.logged.map((a) => a.name), [
    "mnist-raw:v0",
    "job-mnist-train:v0",
    "odd-paths:v0",
  ]);
  assert.deepEqual(r.used.map((a) => a.name), ["mnist-raw:v0"]);
  assert.equal(r.loggedBy?.id, r.v1Seed.loggedBy);
  assert.deepEqual(r.usedBy.map((run) => run.id), [...r.v1Seed.usedBy]);
  assert.ok(r.usedAfter.some((a) => a.id === r.cnn.id));
  assert.ok(r.relogged.aliases.includes("from-a"));
  assert.ok(r.loggedAfter.some((a) => a.id === r.cnn.id));
  assert.ok(r.foreign instanceof InvalidArgumentError);
});

Deno.test("a user outside an artifact's entity can neither read nor change it", async () => {
  const r = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const project = server.store.projects.get("bob", "private")!;
      const type = server.store.artifacts.type(project.internalId, "dataset", true)!;
      const secret = server.store.artifacts.createVersion(type, "secret", [
        { path: "s.txt", content: { bytes: new TextEncoder().encode("secret") } },
      ]);
      const read = yield* Effect.flip(api.artifact("bob/private/secret:v0"));
      // The node id is enough to try a mutation: the server must refuse it and change nothing.
      const forged: Artifact = {
        ...(yield* api.artifact("acme/mnist/mnist-cnn:v0")),
        id: btoa(`Artifact:${secret.id}`),
        entity: "bob",
        project: "private",
        collection: "secret",
      };
      const write = yield* Effect.flip(api.saveArtifact(forged, { description: "pwned" }));
      const del = yield* Effect.flip(api.deleteArtifact(forged, { deleteAliases: true }));
      const after = server.store.artifacts.artifact(secret.id)!;
      return { read, write, del, after };
    })
  );
  assert.equal(r.read._tag, "PermissionError");
  assert.equal(r.write._tag, "PermissionError");
  assert.equal(r.del._tag, "PermissionError");
  assert.equal(r.after.description, null);
  assert.equal(r.after.state, "COMMITTED");
});

Deno.test("api.artifact() lookups in flight together share one ArtifactsBatch request", async () => {
  const { batched, alone, operations, errors } = await withArtifacts(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const names = [
        "acme/mnist/mnist-raw:v0",
        "acme/mnist/mnist-raw:prod",
        "acme/mnist/mnist-cnn:v0",
      ];
      const alone = yield* Effect.forEach(names, (n) => api.artifact(n));
      server.resetRequests();
      const batched = yield* Effect.forEach(names, (n) => api.artifact(n), {
        concurrency: "unbounded",
      });
      const operations = server.requests.map((r) => r.operationName);
      // A missing version and a wrong type fail their own lookups only.
      const [ok, missing, wrongType] = yield* Effect.all([
        api.artifact(names[0]!),
        Effect.flip(api.artifact("acme/mnist/mnist-raw:v99")),
        Effect.flip(api.artifact("acme/mnist/mnist-raw:v0", { type: "model" })),
      ], { concurrency: "unbounded" });
      return {
        batched,
        alone,
        operations,
        errors: [ok.qualifiedName, missing._tag, wrongType._tag],
      };
    })
  );
  assert.deepEqual(batched, alone);
  assert.deepEqual(operations, ["ArtifactsBatch"]);
  assert.deepEqual(errors, ["acme/mnist/mnist-raw:v0", "NotFoundError", "InvalidArgumentError"]);
});
