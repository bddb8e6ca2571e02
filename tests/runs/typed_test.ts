// Typed runs and rows against the local server: config and summary decoded by the caller's
// Schemas (a misfit is a DecodeError naming the run and the key, or the run is skipped and
// reported), history rows decoded by a row Schema, NaN and big integers as W&B stores them.
import assert from "node:assert/strict";
import { Effect, Schema, Stream } from "effect";
import { Api, DecodeError, type Run } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const Config = Schema.Struct({
  lr: Schema.Number,
  optimizer: Schema.Literals(["adam", "sgd", "adamw"]),
  batch_size: Schema.Number,
});
const Summary = Schema.Struct({ loss: Schema.Number, accuracy: Schema.Number });

Deno.test("runs(path, { config, summary }): Run<C, S> with the values decoded", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const runs = yield* Stream.runCollect(
      api.runs("acme/mnist", { config: Config, summary: Summary }),
    );
    const one = yield* api.run(`acme/mnist/${runs[0]!.id}`, { config: Config });
    return { runs, one, seeded: server.seed.runs.filter((s) => s.project === "mnist") };
  }));
  assert.equal(r.runs.length, 30);
  // Types: `lr` is a number and `optimizer` one of three strings, checked by the compiler.
  const first: Run<typeof Config.Type, typeof Summary.Type> = r.runs[0]!;
  const lr: number = first.config!.lr;
  assert.equal(lr, (r.seeded[0]!.config.lr as { value: number }).value);
  assert.ok(["adam", "sgd", "adamw"].includes(r.one.config!.optimizer));
  assert.equal(typeof first.summary!.loss, "number");
});

Deno.test("a run that does not fit: a DecodeError naming the run and the key, or skipped and told", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const misfit = yield* Effect.flip(Stream.runCollect(
      api.runs("acme/mnist", { config: Schema.Struct({ lr: Schema.String }) }),
    ));
    const skipped: Array<string> = [];
    // The diverged run's lr_min is NaN: not finite, so it is skipped; the other two lack it.
    const kept = yield* Stream.runCollect(api.runs("acme/real-world", {
      config: Schema.Struct({ optimizer: Schema.String, lr_min: Schema.optional(Schema.Finite) }),
      invalid: "skip",
      onSkip: ({ run, error }) => Effect.sync(() => skipped.push(`${run.id} ${error.path}`)),
    }));
    // NaN and integers past 2^53 keep their meaning for Schemas that take them.
    const diverged = yield* Stream.runCollect(api.runs("acme/real-world", {
      config: Schema.Struct({ lr_min: Schema.optional(Schema.Number) }),
      summary: Schema.Struct({ tokens_seen: Schema.optional(Schema.BigInt) }),
    }));
    return { misfit, skipped, kept, diverged };
  }));
  assert.ok(r.misfit instanceof DecodeError);
  assert.match(r.misfit.path, /^acme\/mnist\/\w+\.config\.lr$/);
  assert.match(r.misfit.message, /acme\/mnist\/\w+/);
  assert.equal(r.kept.length, 2);
  assert.equal(r.skipped.length, 1);
  assert.match(r.skipped[0]!, /config\.lr_min$/);
  const nan = r.diverged.find((run) => run.config?.lr_min !== undefined)!;
  assert.ok(Number.isNaN(nan.config!.lr_min));
  assert.equal(nan.summary!.tokens_seen, 9007199254740993n);
});

Deno.test("scanHistory(run, { row }) and followHistory(run, { row }): typed rows, misfits named", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const diverged = server.seed.runs.find((s) => s.history.quirks === "diverged")!;
    const path = `acme/real-world/${diverged.name}`;
    const Row = Schema.Struct({ _step: Schema.Number, loss: Schema.Number });
    const rows = yield* Stream.runCollect(api.scanHistory(path, { row: Row, keys: ["loss"] }));
    const misfit = yield* Effect.flip(Stream.runCollect(
      api.scanHistory(path, { row: Schema.Struct({ loss: Schema.Finite }), keys: ["loss"] }),
    ));
    const followed = yield* Stream.runCollect(
      api.followHistory(path, { row: Row, keys: ["loss"] }),
    );
    return { rows, misfit, followed, steps: diverged.history.steps, path };
  }));
  assert.equal(r.rows.length, r.steps);
  const total: number = r.rows.reduce((n, row) => n + row._step, 0);
  assert.equal(total, (r.steps * (r.steps - 1)) / 2);
  assert.ok(r.rows.some((row) => Number.isNaN(row.loss)));
  assert.ok(r.misfit instanceof DecodeError);
  // Step 3's loss is Infinity: the first row a finite-only Schema refuses.
  assert.equal(r.misfit.path, `${r.path}@_step=3.loss`);
  assert.deepEqual(r.followed.map((row) => row._step), r.rows.map((row) => row._step));
});
