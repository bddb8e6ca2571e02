import assert from "node:assert/strict";
import { Effect, Exit } from "effect";
import { classifyPath, parseProjectPath, parseRunPath } from "../../lib/runs/mod.ts";

const parse = (path: string) => Effect.runSync(parseRunPath(path));

Deno.test("parseRunPath() accepts every form the Python client accepts", async (t) => {
  const cases: Array<[string, string | undefined, string | undefined, string]> = [
    ["acme/mnist/runs/abc123", "acme", "mnist", "abc123"],
    ["acme/mnist/abc123", "acme", "mnist", "abc123"],
    ["acme/mnist:abc123", "acme", "mnist", "abc123"],
    ["mnist/abc123", undefined, "mnist", "abc123"],
    ["mnist:abc123", undefined, "mnist", "abc123"],
    ["abc123", undefined, undefined, "abc123"],
    ["https://wandb.ai/acme/mnist/runs/abc123", "acme", "mnist", "abc123"],
    ["/acme/mnist/abc123/", "acme", "mnist", "abc123"],
    ["my-team.x/proj_1/run-2", "my-team.x", "proj_1", "run-2"],
  ];
  for (const [path, entity, project, runId] of cases) {
    await t.step(path, () => {
      assert.deepEqual(parse(path), { entity, project, runId });
    });
  }
});

Deno.test("parseRunPath() rejects malformed paths with an InvalidArgumentError", async (t) => {
  for (const path of ["", "a/b/c/d", "a/b/notruns/d", "a/b/c/runs/d", "a:b:c", "a/b c/d", "a//b"]) {
    await t.step(JSON.stringify(path), () => {
      const exit = Effect.runSyncExit(parseRunPath(path));
      assert.ok(Exit.isFailure(exit));
      const error = Effect.runSync(Effect.flip(parseRunPath(path)));
      assert.equal(error._tag, "InvalidArgumentError");
      assert.equal(error.argument, "path");
      assert.match(error.message, /expected e\/p\/runs\/id/);
    });
  }
});

Deno.test("parseProjectPath() accepts entity/project, project and empty", () => {
  assert.deepEqual(Effect.runSync(parseProjectPath("acme/mnist")), {
    entity: "acme",
    project: "mnist",
  });
  assert.deepEqual(Effect.runSync(parseProjectPath("mnist")), {
    entity: undefined,
    project: "mnist",
  });
  assert.deepEqual(Effect.runSync(parseProjectPath("")), { entity: undefined, project: undefined });
  const error = Effect.runSync(Effect.flip(parseProjectPath("a/b/c")));
  assert.equal(error._tag, "InvalidArgumentError");
});

Deno.test("classifyPath() tells projects from runs like Api.from_path", () => {
  const kind = (p: string) => Effect.runSync(classifyPath(p))._tag;
  assert.equal(kind("mnist"), "project");
  assert.equal(kind("acme/mnist"), "project");
  assert.equal(kind("acme/mnist/abc"), "run");
  assert.equal(kind("acme/mnist:abc"), "run");
  assert.equal(kind("acme/mnist/runs/abc"), "run");
  const error = Effect.runSync(Effect.flip(classifyPath("acme/mnist/sweeps/xyz")));
  assert.match(error.message, /not supported yet/);
});
