// The Api's members, one call each, with the fixtures they need: the table the facade test runs
// to check every member's span, and the server-version matrix runs against every release the
// local server can act as.
import { Effect, Schedule, Stream } from "effect";
import { Api, type ApiShape, type Artifact, type ArtifactCollection, type Run } from "../../mod.ts";
import type { QueuedRun, RunQueue } from "../../mod.ts";
import type { RunFile } from "../../mod.ts";
import type { Sweep } from "../../mod.ts";
import type { Registry } from "../../lib/registries/mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";

export interface Fixtures {
  readonly run: Run;
  readonly file: RunFile;
  readonly artifact: Artifact;
  readonly collection: ArtifactCollection;
  readonly sweep: Sweep;
  readonly queue: RunQueue;
  readonly queued: QueuedRun;
  /** The seeded model registry as a value (its id names no project: changes to it go nowhere). */
  readonly registry: Registry;
  readonly dir: string;
}

export type Call = (
  api: ApiShape,
  f: Fixtures,
) => Effect.Effect<unknown, unknown> | Stream.Stream<unknown, unknown>;

const quick = { timeout: "1 millis" } as const;

/** One call per member of the Api: what the test runs to see its span. */
export const calls: Record<Exclude<keyof ApiShape, "config" | "client">, Call> = {
  viewer: (api) => api.viewer,
  defaultEntity: (api) => api.defaultEntity,
  resolveProjectPath: (api) => api.resolveProjectPath("acme/mnist"),
  resolveRunPath: (api, f) => api.resolveRunPath(f.run.path),
  projects: (api) => api.projects("acme"),
  projectsPages: (api) => api.projectsPages("acme"),
  project: (api) => api.project("mnist", "acme"),
  createProject: (api) => api.createProject("traced", "acme"),
  runs: (api) => api.runs("acme/mnist"),
  runsPages: (api) => api.runsPages("acme/mnist"),
  runCount: (api) => api.runCount("acme/mnist"),
  run: (api, f) => api.run(f.run.path),
  fromPath: (api) => api.fromPath("acme/mnist"),
  createRun: (api) => api.createRun({ project: "acme/mnist", runId: "traced1" }),
  updateRun: (api, f) => api.updateRun(f.run, { notes: "traced" }),
  deleteRun: (api, f) => api.deleteRun({ ...f.run, id: "no-such-run" }),
  updateRunState: (api, f) => api.updateRunState(f.run, "pending"),
  stopRun: (api, f) => api.stopRun(f.run),
  waitUntilFinished: (api, f) => api.waitUntilFinished(f.run, quick),
  runMetadata: (api, f) => api.runMetadata(f.run),
  runUrl: (api, f) => api.runUrl(f.run),
  scanHistory: (api, f) => api.scanHistory(f.run),
  scanHistories: (api, f) => api.scanHistories(Stream.make(f.run)),
  history: (api, f) => api.history(f.run, { samples: 5 }),
  systemMetrics: (api, f) => api.systemMetrics(f.run, { samples: 5 }),
  lastHistoryStep: (api, f) => api.lastHistoryStep(f.run),
  histories: (api, f) => api.histories(Stream.make(f.run), { samples: 5 }),
  files: (api, f) => api.files(f.run),
  file: (api, f) => api.file(f.run, f.file.name),
  downloadFile: (api, f) => api.downloadFile(f.file, { root: f.dir }),
  downloadFiles: (api, f) => api.downloadFiles(Stream.make(f.file), { root: `${f.dir}/many` }),
  uploadFile: (api, f) => api.uploadFile(f.run, `${f.dir}/no-such-file`),
  deleteFile: (api, f) => api.deleteFile({ ...f.file, id: btoa("File:999999") }),
  artifactTypes: (api) => api.artifactTypes("acme/mnist"),
  artifactType: (api) => api.artifactType("dataset", "acme/mnist"),
  artifactCollections: (api) => api.artifactCollections("acme/mnist", "dataset"),
  artifactCollection: (api) => api.artifactCollection("dataset", "acme/mnist/mnist-raw"),
  artifactCollectionExists: (api) =>
    api.artifactCollectionExists("acme/mnist/mnist-raw", "dataset"),
  artifacts: (api) => api.artifacts("dataset", "acme/mnist/mnist-raw"),
  artifact: (api) => api.artifact("acme/mnist/mnist-raw:prod"),
  artifactExists: (api) => api.artifactExists("acme/mnist/mnist-raw:prod"),
  artifactManifest: (api, f) => api.artifactManifest(f.artifact),
  artifactEntry: (api, f) => api.artifactEntry(f.artifact, "no-such-entry"),
  artifactFiles: (api, f) => api.artifactFiles(f.artifact),
  downloadArtifact: (api, f) => api.downloadArtifact(f.artifact, { root: `${f.dir}/artifact` }),
  artifactFile: (api, f) => api.artifactFile(f.artifact, { root: `${f.dir}/one` }),
  verifyArtifact: (api, f) => api.verifyArtifact(f.artifact, `${f.dir}/nothing-here`),
  checkoutArtifact: (api, f) => api.checkoutArtifact(f.artifact, `${f.dir}/checkout`),
  saveArtifact: (api, f) => api.saveArtifact(f.artifact, { description: "traced" }),
  deleteArtifact: (api, f) => api.deleteArtifact({ ...f.artifact, id: btoa("Artifact:999999") }),
  linkArtifact: (api, f) => api.linkArtifact(f.artifact, "acme/mnist/traced-portfolio"),
  saveArtifactCollection: (api, f) =>
    api.saveArtifactCollection(f.collection, { description: "traced" }),
  deleteArtifactCollection: (api, f) =>
    api.deleteArtifactCollection({ ...f.collection, id: btoa("ArtifactSequence:999999") }),
  loggedArtifacts: (api, f) => api.loggedArtifacts(f.run),
  usedArtifacts: (api, f) => api.usedArtifacts(f.run),
  useArtifact: (api, f) => api.useArtifact(f.run, f.artifact),
  logArtifact: (api, f) => api.logArtifact(f.run, f.artifact),
  artifactLoggedBy: (api, f) => api.artifactLoggedBy(f.artifact),
  artifactUsedBy: (api, f) => api.artifactUsedBy(f.artifact),
  sweep: (api, f) => api.sweep(`acme/mnist/${f.sweep.name}`),
  sweeps: (api) => api.sweeps("acme/mnist"),
  sweepRuns: (api, f) => api.sweepRuns(f.sweep),
  bestRun: (api, f) => api.bestRun(f.sweep),
  runSweep: (api, f) => api.runSweep(f.run),
  reports: (api) => api.reports("acme/mnist"),
  user: (api) => api.user("alice"),
  users: (api) => api.users("alice"),
  createUser: (api) => api.createUser("traced@example.com"),
  generateApiKey: (api) => api.generateApiKey({ description: "traced" }),
  deleteApiKey: (api) => api.deleteApiKey("no-such-key"),
  team: (api) => api.team("acme"),
  createTeam: (api) => api.createTeam("traced-team"),
  inviteToTeam: (api) => api.inviteToTeam("acme", "carol"),
  createServiceAccount: (api) => api.createServiceAccount("acme", "traced"),
  removeTeamMember: (api) => api.removeTeamMember("acme", { id: "no-such-member" }),
  runQueue: (api) => api.runQueue("acme", "gpu-queue"),
  runQueueItems: (api, f) => api.runQueueItems(f.queue, "mnist"),
  createRunQueue: (api) =>
    api.createRunQueue({ entity: "acme", name: "traced-queue", resource: "local-process" }),
  upsertRunQueue: (api) =>
    api.upsertRunQueue({ entity: "acme", name: "traced-queue-2", resource: "local-process" }),
  deleteRunQueue: (api, f) => api.deleteRunQueue({ ...f.queue, id: btoa("RunQueue:999999") }),
  queuedRun: (api, f) => api.queuedRun(f.queued),
  queuedRunState: (api, f) => api.queuedRunState(f.queued),
  waitUntilRunning: (api, f) => api.waitUntilRunning(f.queued, quick),
  waitUntilQueuedRunFinished: (api, f) => api.waitUntilQueuedRunFinished(f.queued, quick),
  deleteQueuedRun: (api, f) => api.deleteQueuedRun({ ...f.queued, id: "999999" }),
  job: (api) => api.job("acme/mnist/job-mnist-train:latest"),
  listJobs: (api) => api.listJobs("acme/mnist"),
  consoleLogs: (api, f) => api.consoleLogs(f.run),
  followHistory: (api, f) => api.followHistory(f.run, { schedule: Schedule.recurs(0) }),
  followRuns: (api) => api.followRuns("acme/mnist", { schedule: Schedule.recurs(0) }),
  integrations: (api) => api.integrations("acme"),
  slackIntegrations: (api) => api.slackIntegrations("acme"),
  webhookIntegrations: (api) => api.webhookIntegrations("acme"),
  organization: (api) => api.organization("acme-corp"),
  registries: (api) => api.registries({ organization: "acme-corp" }),
  registry: (api) => api.registry("model", "acme-corp"),
  createRegistry: (api) =>
    api.createRegistry({ name: "traced", visibility: "restricted" }, "acme-corp"),
  saveRegistry: (api, f) => api.saveRegistry(f.registry, { description: "traced" }),
  deleteRegistry: (api, f) => api.deleteRegistry(f.registry),
  registryCollections: (api) => api.registryCollections({ organization: "acme-corp" }),
  registryVersions: (api) => api.registryVersions({ organization: "acme-corp" }),
  registryMembers: (api, f) => api.registryMembers(f.registry),
  addRegistryMembers: (api, f) => api.addRegistryMembers(f.registry, [{ user: { id: "no-one" } }]),
  removeRegistryMembers: (api, f) =>
    api.removeRegistryMembers(f.registry, [{ user: { id: "no-one" } }]),
  updateRegistryMember: (api, f) =>
    api.updateRegistryMember(f.registry, { user: { id: "no-one" } }, "viewer"),
  automations: (api) => api.automations({ entity: "acme" }),
  automation: (api) => api.automation("failed-runs-to-slack", "acme"),
  createAutomation: (api) =>
    api.createAutomation({
      name: "traced",
      event: {
        _tag: "ArtifactEvent",
        on: "linkArtifact",
        scope: { _tag: "ProjectScope", id: btoa("Project:v1:mnist:acme"), name: "mnist" },
      },
      action: { _tag: "DoNothing" },
    }),
  updateAutomation: (api) =>
    api.updateAutomation({
      id: btoa("Trigger:999999"),
      name: "gone",
      description: null,
      enabled: true,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: null,
      event: {
        _tag: "RunStateEvent",
        scope: { _tag: "ProjectScope", id: btoa("Project:v1:mnist:acme"), name: "mnist" },
        states: ["failed"],
      },
      action: { _tag: "DoNothing" },
    }, { enabled: false }),
  deleteAutomation: (api) => api.deleteAutomation(btoa("Trigger:999999")),
  createWebhookIntegration: (api) =>
    api.createWebhookIntegration(
      { name: "traced", urlEndpoint: "http://127.0.0.1:9/hook" },
      "acme",
    ),
};

/** The fixtures of {@link calls}, read from the seeded local server, files under `dir`. */
export const fixtures = (dir: string) =>
  Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const seeded = server.seed.runs.find((r) => r.project === "mnist" && r.files.length > 0)!;
    const run = yield* api.run(`acme/mnist/${seeded.name}`);
    const fixtures: Fixtures = {
      run,
      file: yield* api.file(run, seeded.files[0]!.name),
      artifact: yield* api.artifact("acme/mnist/mnist-raw:prod"),
      collection: yield* api.artifactCollection("dataset", "acme/mnist/mnist-raw"),
      sweep: yield* api.sweep("acme/mnist/swp1"),
      queue: yield* api.runQueue("acme", "gpu-queue"),
      queued: (yield* Stream.runCollect(
        api.runQueueItems(yield* api.runQueue("acme", "gpu-queue"), "mnist"),
      ))[0]!,
      registry: {
        id: btoa("Project:999999"),
        name: "model",
        fullName: "wandb-registry-model",
        organization: "acme-corp",
        entity: "acme-corp-org",
        description: null,
        visibility: "organization",
        allowAllArtifactTypes: true,
        artifactTypes: [],
        createdAt: "2026-01-01T00:00:00Z",
        updatedAt: null,
      },
      dir,
    };
    return fixtures;
  });

/** Runs one call: an Effect as it is, a Stream to its first element. */
export const runCall = (call: Call, api: ApiShape, f: Fixtures) => {
  const made = call(api, f);
  return (Effect.isEffect(made)
    ? made
    : Stream.runDrain(Stream.take(made as Stream.Stream<unknown, unknown>, 1))) as Effect.Effect<
      unknown,
      unknown
    >;
};
