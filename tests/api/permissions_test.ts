// The permission matrix: every mutation, tried by a user outside the entity, is refused with a
// PermissionError, and the store is left as it was (read back through an admin's Api).
import assert from "node:assert/strict";
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, type ApiShape } from "../../mod.ts";
import { LocalServer, seedApiKey, testApiLayer } from "../../lib/testing/mod.ts";

Deno.test("every mutation on an entity the key does not belong to is refused and changes nothing", async () => {
  const r = await Effect.runPromise(Effect.scoped(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const alice = yield* Api;
      // What the store holds, as an admin reads it.
      const snapshot = Effect.gen(function* () {
        const runs = yield* Stream.runCollect(alice.runs("acme/mnist", { full: true }));
        const projects = yield* Stream.runCollect(alice.projects("acme"));
        const team = yield* alice.team("acme");
        const queue = yield* alice.runQueue("acme", "gpu-queue");
        const items = yield* Stream.runCollect(alice.runQueueItems(queue, "mnist"));
        const cnn = yield* alice.artifactCollection("model", "acme/mnist/mnist-cnn");
        const versions = yield* Stream.runCollect(alice.artifacts("model", "acme/mnist/mnist-cnn"));
        const portfolio = yield* Stream.runCollect(
          alice.artifacts("model", "acme/mnist/production-models"),
        );
        const used = yield* Stream.runCollect(alice.usedArtifacts(`acme/mnist/${runs[0]!.id}`));
        return JSON.stringify({
          runs: runs.map((x) => [x.id, x.state, x.tags, x.notes, x.name]),
          projects: projects.map((p) => p.path),
          members: team.members.map((m) => [m.username, m.role]),
          queue: [queue.prioritizationMode, queue.defaultResourceConfig, items.map((i) => i.id)],
          cnn: [cnn.name, cnn.description, cnn.tags, cnn.type],
          versions: versions.map((v) => [v.version, v.aliases, v.tags, v.description]),
          portfolio: portfolio.map((v) => [v.name, v.aliases]),
          used: used.map((a) => a.id),
        }, (_k, v) => typeof v === "bigint" ? v.toString() : v);
      });
      const before = yield* snapshot;
      const runs = yield* Stream.runCollect(alice.runs("acme/mnist"));
      const target = yield* alice.run(`acme/mnist/${runs[0]!.id}`);
      const finished = yield* alice.run(
        `acme/mnist/${
          server.seed.runs.find((x) => x.project === "mnist" && x.state === "finished")!.name
        }`,
      );
      const queue = yield* alice.runQueue("acme", "gpu-queue");
      const [item] = yield* Stream.runCollect(alice.runQueueItems(queue, "mnist"));
      const cnn = yield* alice.artifactCollection("model", "acme/mnist/mnist-cnn");
      const v0 = yield* alice.artifact("acme/mnist/mnist-cnn:v0");
      const member = (yield* alice.team("acme")).members.find((m) => m.username === "bob")!;
      const carol = Api.layer({ apiKey: seedApiKey("carol", 42), baseUrl: server.url }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.orDie,
      );
      const attempts: ReadonlyArray<
        readonly [string, (api: ApiShape) => Effect.Effect<unknown, unknown>]
      > = [
        ["createProject", (a) => a.createProject("intruder", "acme")],
        ["createRun", (a) => a.createRun({ project: "acme/mnist", runId: "intruder" })],
        ["updateRun", (a) => a.updateRun(target, { tags: ["x"], notes: "x" })],
        ["updateRunState", (a) => a.updateRunState(finished, "pending")],
        ["deleteRun", (a) => a.deleteRun(target)],
        ["inviteToTeam", (a) => a.inviteToTeam("acme", "carol")],
        ["createServiceAccount", (a) => a.createServiceAccount("acme", "bot")],
        ["removeTeamMember", (a) => a.removeTeamMember("acme", member)],
        [
          "upsertRunQueue",
          (a) => a.upsertRunQueue({ name: "gpu-queue", resource: "kubernetes", entity: "acme" }),
        ],
        ["deleteRunQueue", (a) => a.deleteRunQueue(queue)],
        ["deleteQueuedRun", (a) => a.deleteQueuedRun(item!)],
        [
          "saveArtifact",
          (a) => a.saveArtifact(v0, { aliases: ["x"], tags: ["x"], description: "x" }),
        ],
        ["deleteArtifact", (a) => a.deleteArtifact(v0, { deleteAliases: true })],
        [
          "linkArtifact",
          (a) => a.linkArtifact(v0, "acme/mnist/production-models", { aliases: ["x"] }),
        ],
        [
          "saveArtifactCollection",
          (a) => a.saveArtifactCollection(cnn, { description: "x", tags: ["x"] }),
        ],
        ["deleteArtifactCollection", (a) => a.deleteArtifactCollection(cnn)],
        ["useArtifact", (a) => a.useArtifact(target, v0)],
        ["logArtifact", (a) => a.logArtifact(target, v0, { aliases: ["x"] })],
      ];
      const outcomes: Array<readonly [string, string]> = [];
      for (const [name, attempt] of attempts) {
        const error = yield* Effect.flip(
          Effect.provide(
            Effect.gen(function* () {
              return yield* attempt(yield* Api);
            }),
            carol,
          ),
        );
        outcomes.push([name, (error as { _tag?: string })._tag ?? String(error)]);
      }
      const after = yield* snapshot;
      return { before, after, outcomes };
    }).pipe(Effect.provide(testApiLayer())),
  ));
  for (const [name, tag] of r.outcomes) assert.equal(tag, "PermissionError", name);
  assert.equal(r.after, r.before);
});
