// The API key must never show: not in an error's text, its Cause.pretty, a log line, a span
// attribute or event, the server's request log or a written file. Every call of the Api runs with
// a recognisable key against a server that refuses it, one that fails (5xx, dropped, cut-off
// answers), one that forbids, and, for the reads, one that answers.
import assert from "node:assert/strict";
import { filesUnder } from "../../lib/artifacts/download.ts";
import { Cause, Effect, Exit, Layer, Logger, References, Schedule, Stream, Tracer } from "effect";
import { FetchHttpClient } from "effect/http";
import {
  Api,
  type Artifact,
  type Run,
  type RunFile,
  type RunQueue,
  type Sweep,
} from "../../mod.ts";
import { type Emulator, type Fault, startEmulator } from "../../lib/testing/mod.ts";

/** What the calls need that only a working server hands out. */
interface Fixtures {
  readonly run: Run;
  readonly file: RunFile;
  readonly artifact: Artifact;
  readonly sweep: Sweep;
  readonly queue: RunQueue;
  readonly dir: string;
}

type Call = readonly [
  string,
  (api: Api["Service"], f: Fixtures) => Effect.Effect<unknown, unknown>,
];

const take = <A, E>(stream: Stream.Stream<A, E>) => Stream.runCollect(Stream.take(stream, 3));

/** Every public call, reads first; `mutates` ones run only against failing servers. */
const reads: ReadonlyArray<Call> = [
  ["viewer", (api) => api.viewer],
  ["projects", (api) => take(api.projects("acme"))],
  ["project", (api) => api.project("acme/mnist")],
  ["runs", (api) => take(api.runs("acme/mnist"))],
  ["runCount", (api) => api.runCount("acme/mnist")],
  ["run", (api, f) => api.run(f.run.path)],
  ["history", (api, f) => api.history(f.run.path, { samples: 10 })],
  ["systemMetrics", (api, f) => api.systemMetrics(f.run.path, { samples: 10 })],
  ["scanHistory", (api, f) => take(api.scanHistory(f.run.path))],
  ["scanHistory as NDJSON", (api, f) => take(api.scanHistory(f.run.path, { format: "ndjson" }))],
  ["scanHistories", (api) => take(api.scanHistories(api.runs("acme/mnist")))],
  ["lastHistoryStep", (api, f) => api.lastHistoryStep(f.run.path)],
  ["runMetadata", (api, f) => api.runMetadata(f.run.path)],
  ["files", (api, f) => take(api.files(f.run.path))],
  ["file", (api, f) => api.file(f.run.path, f.file.name)],
  ["downloadFile", (api, f) => api.downloadFile(f.file, { root: f.dir, replace: true })],
  ["sweeps", (api) => take(api.sweeps("acme/mnist"))],
  ["sweep", (api, f) => api.sweep(`${f.sweep.entity}/${f.sweep.project}/${f.sweep.name}`)],
  ["sweepRuns", (api, f) => take(api.sweepRuns(f.sweep))],
  ["reports", (api) => take(api.reports("acme/mnist"))],
  ["user", (api) => api.user("bob")],
  ["team", (api) => api.team("acme")],
  ["runQueue", (api) => api.runQueue("acme", "gpu-queue")],
  ["runQueueItems", (api, f) => take(api.runQueueItems(f.queue, "mnist"))],
  ["listJobs", (api) => take(api.listJobs("acme/mnist"))],
  ["artifactTypes", (api) => take(api.artifactTypes("acme/mnist"))],
  ["artifactCollections", (api) => take(api.artifactCollections("acme/mnist", "dataset"))],
  ["artifacts", (api) => take(api.artifacts("dataset", "acme/mnist/mnist-raw"))],
  ["artifact", (api) => api.artifact("acme/mnist/mnist-raw:v0")],
  ["artifactExists", (api) => api.artifactExists("acme/mnist/mnist-raw:v0")],
  ["artifactManifest", (api, f) => api.artifactManifest(f.artifact)],
  ["artifactFiles", (api, f) => take(api.artifactFiles(f.artifact))],
  ["downloadArtifact", (api, f) => api.downloadArtifact(f.artifact, { root: `${f.dir}/art` })],
  ["loggedArtifacts", (api, f) => take(api.loggedArtifacts(f.run.path))],
  ["artifactLoggedBy", (api, f) => api.artifactLoggedBy(f.artifact)],
];
const mutations: ReadonlyArray<Call> = [
  ["createProject", (api) => api.createProject("acme/new-project")],
  ["createRun", (api) => api.createRun({ project: "mnist", entity: "acme" })],
  ["updateRun", (api, f) => api.updateRun(f.run, { tags: ["x"] })],
  ["deleteRun", (api, f) => api.deleteRun(f.run)],
  ["uploadFile", (api, f) => api.uploadFile(f.run.path, `${f.dir}/upload.txt`, { root: f.dir })],
  ["deleteFile", (api, f) => api.deleteFile(f.file)],
  ["saveArtifact", (api, f) => api.saveArtifact(f.artifact, { description: "d" })],
  ["deleteArtifact", (api, f) => api.deleteArtifact(f.artifact)],
  ["createTeam", (api) => api.createTeam("new-team")],
  ["generateApiKey", (api) => api.generateApiKey()],
  [
    "createRunQueue",
    (api) => api.createRunQueue({ entity: "acme", name: "q2", resource: "local-process" }),
  ],
];

/** Everything the test can see of what the library printed, logged, traced and wrote. */
class Observed {
  readonly texts: Array<string> = [];
  readonly spans: Array<Tracer.NativeSpan & { readonly events?: unknown }> = [];
  readonly tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options);
      this.spans.push(span);
      return span;
    },
  });
  readonly logger = Logger.make(({ message, fiber }) => {
    this.texts.push(`${JSON.stringify(message)} ${JSON.stringify(fiber.id)}`);
  });
  spanText(): string {
    return this.spans.map((s) =>
      `${s.name} ${JSON.stringify([...s.attributes])} ${JSON.stringify(s.events ?? [])}`
    ).join("\n");
  }
}

/** Runs every call with `apiKey`, recording errors, causes, logs and spans in `seen`. */
async function runCalls(
  server: Emulator,
  apiKey: string,
  calls: ReadonlyArray<Call>,
  fixtures: Fixtures,
  seen: Observed,
  before?: () => void,
): Promise<Map<string, Exit.Exit<unknown, unknown>>> {
  const layer = Api.layer({
    apiKey,
    baseUrl: server.url,
    retrySchedule: Schedule.max([Schedule.spaced("5 millis"), Schedule.recurs(1)]),
  }).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.merge(Logger.layer([seen.logger])),
  );
  const exits = new Map<string, Exit.Exit<unknown, unknown>>();
  for (const [name, call] of calls) {
    before?.();
    const exit = await Effect.runPromiseExit(
      Effect.gen(function* () {
        const api = yield* Api;
        yield* Effect.logDebug(`calling ${name}`);
        return yield* call(api, fixtures);
      }).pipe(
        Effect.tapCause((cause) => Effect.logError(cause)),
        Effect.withTracer(seen.tracer),
        Effect.provideService(References.MinimumLogLevel, "All"),
        Effect.provide(layer),
      ),
    );
    if (Exit.isFailure(exit)) {
      seen.texts.push(Cause.pretty(exit.cause));
      for (const error of Cause.prettyErrors(exit.cause)) {
        seen.texts.push(String(error), error.message, JSON.stringify(error), String(error.stack));
      }
    }
    exits.set(name, exit);
  }
  return exits;
}

Deno.test("the API key shows nowhere: errors, causes, logs, spans, request log, files", async () => {
  const server = await startEmulator();
  const dir = await Deno.makeTempDir();
  const wrongKey = "k3y-that-must-never-leak-0123456789abcdef";
  try {
    await Deno.writeTextFile(`${dir}/upload.txt`, "bytes to upload\n");
    const fixtures = await Effect.runPromise(
      Effect.gen(function* () {
        const api = yield* Api;
        const run = yield* api.run(
          "acme/mnist/" +
            server.seed.runs.find((r) => r.project === "mnist" && r.files.length > 0)!.name,
        );
        const [file] = yield* take(api.files(run.path));
        const artifact = yield* api.artifact("acme/mnist/mnist-raw:v0");
        const [sweep] = yield* take(api.sweeps("acme/mnist"));
        const queue = yield* api.runQueue("acme", "gpu-queue");
        return { run, file: file!, artifact, sweep: sweep!, queue, dir } satisfies Fixtures;
      }).pipe(
        Effect.provide(
          Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
            Layer.provide(FetchHttpClient.layer),
          ),
        ),
      ),
    );
    const seen = new Observed();
    const everyCall = [...reads, ...mutations];
    // A key the server does not know: every call refused.
    const refused = await runCalls(server, wrongKey, everyCall, fixtures, seen);
    // A file already listed downloads from its signed URL, which needs no key.
    const succeeded = [...refused].filter(([, exit]) => Exit.isSuccess(exit)).map(([n]) => n);
    assert.deepEqual(succeeded, ["downloadFile"]);
    // The real key against failing answers: 5xx, dropped and cut-off answers, 403, 429.
    const faults: ReadonlyArray<Fault> = [
      { status: 500 },
      { kind: "drop" },
      { kind: "truncate" },
      { status: 403 },
      { status: 429, headers: { "RateLimit-Reset": "0" } },
    ];
    for (const fault of faults) {
      await runCalls(server, server.apiKey, everyCall, fixtures, seen, () => {
        server.clearFaults();
        server.injectFaults(...Array(4).fill(fault));
      });
    }
    // And the reads answered, writing downloads under `dir`.
    server.clearFaults();
    const answered = await runCalls(server, server.apiKey, reads, fixtures, seen);
    assert.ok(Exit.isSuccess(answered.get("downloadArtifact")!));
    assert.ok(Exit.isSuccess(answered.get("viewer")!));

    const written = await Promise.all(
      (await filesUnder(dir)).map(async (path) =>
        `${path}\n${await Deno.readTextFile(`${dir}/${path}`)}`
      ),
    );
    assert.ok(written.length > 3, "nothing was downloaded: the files were not checked");
    assert.ok(seen.spans.length > everyCall.length, "no spans were recorded");
    assert.ok(seen.texts.length > everyCall.length, "no errors or logs were recorded");
    const haystacks = {
      "errors and logs": seen.texts.join("\n"),
      spans: seen.spanText(),
      "request log": JSON.stringify(server.requests),
      "written files": written.join("\n"),
    };
    for (const key of [server.apiKey, wrongKey]) {
      const forms = [key, btoa(`api:${key}`), encodeURIComponent(key)];
      for (const [where, text] of Object.entries(haystacks)) {
        for (const form of forms) {
          assert.ok(
            !text.includes(form),
            `the key (as ${form.slice(0, 6)}…) shows in the ${where}`,
          );
        }
      }
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
