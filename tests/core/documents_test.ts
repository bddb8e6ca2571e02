import assert from "node:assert/strict";
import {
  createResourceConfigMutation,
  createRunQueueMutation,
  resourceConfigQuery,
  runQueueItemQuery,
  runQueueItemsQuery,
  runQueueMetadataQuery,
  upsertRunQueueMutation,
} from "../../lib/graphql.ts";
import {
  createTeamMutation,
  createUserMutation,
  deleteApiKeyMutation,
  deleteInviteMutation,
  generateApiKeyMutation,
  inviteMutation,
  reportsQuery,
  searchUsersQuery,
  serviceAccountMutation,
  teamQuery,
} from "../../lib/graphql.ts";
import {
  aliasesMutation,
  artifactByIdQuery,
  artifactByNameQuery,
  artifactCollectionQuery,
  artifactCollectionsQuery,
  artifactCreatedByQuery,
  artifactFilesQuery,
  artifactFileUrlsQuery,
  artifactTypeQuery,
  artifactTypesQuery,
  artifactUsedByQuery,
  artifactVersionsQuery,
  collectionTagsMutation,
  createProjectMutation,
  createRunFilesMutation,
  createRunMutation,
  defaultEntityQuery,
  deleteArtifactMutation,
  deleteCollectionMutation,
  deleteFilesMutation,
  deleteRunMutation,
  fragment,
  type GraphqlRequest,
  historyPageQuery,
  linkArtifactMutation,
  logArtifactMutation,
  manifestUrlQuery,
  moveCollectionMutation,
  operationDocument,
  parquetHistoryQuery,
  printDocument,
  projectQuery,
  projectsQuery,
  runArtifactsQuery,
  runCountQuery,
  runEventsQuery,
  runFilesQuery,
  runFullHistoryQuery,
  runHistoryKeysQuery,
  runQuery,
  runSampledHistoryQuery,
  runsQuery,
  runStateQuery,
  sampledHistoryPageQuery,
  sweepQuery,
  sweepsQuery,
  updateArtifactMutation,
  updateCollectionMutation,
  updateRunMutation,
  updateRunStateMutation,
  useArtifactMutation,
  viewerQuery,
} from "../../lib/graphql.ts";
import { buildWandbSchema, validateOperation } from "../../lib/testing/schema/mod.ts";
import { parse } from "graphql";

const project = { entity: "acme", project: "mnist" };

/** Every document the client's query builders can produce. */
const requests: ReadonlyArray<GraphqlRequest<unknown>> = [
  viewerQuery(),
  defaultEntityQuery(),
  projectsQuery("acme", null, 50),
  projectQuery(project),
  runsQuery({
    project,
    filters: "{}",
    order: "+created_at",
    perPage: 50,
    cursor: null,
    full: false,
  }),
  runsQuery({ project, filters: "{}", order: "+created_at", perPage: 50, cursor: "c", full: true }),
  runQuery({ ...project, runId: "abc" }),
  runCountQuery(project, "{}"),
  runHistoryKeysQuery({ ...project, runId: "abc" }),
  historyPageQuery({ ...project, runId: "abc" }, 0, 1000, 1000),
  sampledHistoryPageQuery({ ...project, runId: "abc" }, { keys: ["loss"], samples: 10 }),
  runFullHistoryQuery({ ...project, runId: "abc" }, 500),
  runEventsQuery({ ...project, runId: "abc" }, 500),
  runSampledHistoryQuery({ ...project, runId: "abc" }, [{ keys: ["_step", "loss"], samples: 5 }]),
  parquetHistoryQuery({ ...project, runId: "abc" }),
  runFilesQuery({ ...project, runId: "abc" }, {
    names: [],
    perPage: 50,
    pattern: null,
    cursor: null,
  }),
  createRunFilesMutation({ ...project, runId: "abc" }, ["a.txt"]),
  deleteFilesMutation(["RmlsZTox"], 1),
  artifactTypesQuery(project, 50, null),
  artifactTypeQuery(project, "model"),
  artifactCollectionsQuery(project, "model", 50, null),
  artifactCollectionQuery(project, "model", "cnn"),
  artifactVersionsQuery(project, "model", "cnn", 50, null),
  artifactByNameQuery(project, "cnn:v0", true),
  artifactByIdQuery("QXJ0aWZhY3Q6MQ=="),
  manifestUrlQuery("QXJ0aWZhY3Q6MQ=="),
  artifactFilesQuery(project, "model", "cnn:v0", null, 50, null),
  artifactFileUrlsQuery("QXJ0aWZhY3Q6MQ==", 1000, null),
  runArtifactsQuery({ ...project, runId: "abc" }, "logged", 50, null),
  runArtifactsQuery({ ...project, runId: "abc" }, "used", 50, null),
  artifactUsedByQuery("QXJ0aWZhY3Q6MQ=="),
  artifactCreatedByQuery("QXJ0aWZhY3Q6MQ=="),
  updateArtifactMutation("QXJ0aWZhY3Q6MQ==", { tagsToAdd: [], tagsToDelete: [] }),
  aliasesMutation("add", "QXJ0aWZhY3Q6MQ==", project, "cnn", ["best"]),
  aliasesMutation("delete", "QXJ0aWZhY3Q6MQ==", project, "cnn", ["best"]),
  deleteArtifactMutation("QXJ0aWZhY3Q6MQ==", true),
  updateCollectionMutation("sequence", "id", { description: "d" }),
  updateCollectionMutation("portfolio", "id", { name: "n" }),
  moveCollectionMutation("id", "dataset"),
  deleteCollectionMutation("sequence", "id"),
  deleteCollectionMutation("portfolio", "id"),
  collectionTagsMutation("add", project, "cnn", ["a"]),
  collectionTagsMutation("delete", project, "cnn", ["a"]),
  linkArtifactMutation("id", project, "prod", ["champion"]),
  useArtifactMutation({ ...project, runId: "abc" }, "id", null),
  logArtifactMutation({ ...project, runId: "abc" }, "model", "cnn", "abc", [], []),
  updateRunMutation("UnVu", { tags: ["a"], notes: "n", config: "{}", summaryMetrics: "{}" }),
  updateRunMutation("UnVu", {}),
  createRunMutation({ ...project, runId: "abc" }, "pending"),
  deleteRunMutation("UnVu", false),
  runStateQuery({ ...project, runId: "abc" }),
  updateRunStateMutation("UnVu", "pending"),
  createProjectMutation(project),
  sweepQuery(project, "swp1"),
  sweepsQuery(project, 50, null),
  searchUsersQuery("bob"),
  createUserMutation("dan@x.io", false),
  generateApiKeyMutation("ci"),
  deleteApiKeyMutation("1"),
  teamQuery("acme"),
  createTeamMutation("t", null),
  inviteMutation("acme", "carol", false),
  deleteInviteMutation("acme", "VXNlcjoy"),
  serviceAccountMutation("acme", "bot"),
  reportsQuery(project, null, 50, null),
  runQueueMetadataQuery("acme", "q"),
  resourceConfigQuery("acme", "RGVm"),
  runQueueItemsQuery("acme", "q"),
  runQueueItemQuery({
    id: "1",
    queueName: "q",
    entity: "acme",
    project: "mnist",
    projectQueue: "model-registry",
  }),
  createResourceConfigMutation("acme", "kubernetes", {}, null),
  createRunQueueMutation("acme", "q", "V0", null),
  upsertRunQueueMutation({ name: "q", resource: "kubernetes", entity: "acme" }),
];

Deno.test("every document the query builders produce validates against our W&B SDL", async (t) => {
  const schema = buildWandbSchema();
  for (const request of requests) {
    await t.step(`${request.operation}`, () => {
      const errors = validateOperation(schema, printDocument(request.document));
      assert.deepEqual(errors.map((e) => e.message), []);
    });
  }
});

Deno.test("operationDocument() composes fragments by their spreads: each once, only those reached", () => {
  const leaf = fragment(`fragment Leaf on User { id }`);
  const unused = fragment(`fragment Unused on User { name }`);
  const mid = fragment(`fragment Mid on User { ...Leaf username }`, leaf);
  const doc = operationDocument(
    `# a comment with { a brace
     query Q($s: String = "}{ ...Unused") { viewer { ...Mid ...Leaf } }`,
    mid,
    leaf,
    unused,
  );
  const text = printDocument(doc);
  assert.equal(text.match(/fragment Leaf on User/g)?.length, 1);
  assert.ok(text.includes("fragment Mid on User"));
  assert.ok(!text.includes("fragment Unused"), "a fragment no operation reaches is left out");
  // Text graphql-js reads: the operation first, then the fragments.
  assert.deepEqual(
    parse(text).definitions.map((d) => "name" in d ? d.name?.value : undefined),
    ["Q", "Mid", "Leaf"],
  );
});
