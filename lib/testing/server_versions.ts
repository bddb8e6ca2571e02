/**
 * The W&B Server releases the local server can act as. Self-hosted W&B runs releases behind
 * SaaS; each lacks the features that came after it, and their fields and arguments with them.
 * A profile's schema is the full SDL without what its missing features bring (each resource
 * names those, `ServerResource.gated`), and its `serverInfo` reports only the features it has.
 *
 * The release of a feature is the official client's word where it gives one (wandb 0.30.0:
 * console logs from the start need 0.77, sweep filters 0.81.4, automations on an entity 0.83,
 * collection filtering came with the registry's advanced features in 0.78); the others are
 * ordered as the client's fallbacks suggest, not dated by W&B, and say so below.
 *
 * @module
 */

/** The releases the local server can act as; `latest` is SaaS (every feature, no version). */
export const serverVersions = ["0.70", "0.77", "0.81", "latest"] as const;

/** A release the local server can act as. */
export type ServerVersion = typeof serverVersions[number];

/**
 * Each feature the client branches on, and the first release that has it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { featureReleases } from "@effect-wandb/api/testing";
 * assert.ok(featureReleases.SWEEPS_QUERY_FILTERING === "0.81.4");
 * ```
 */
export const featureReleases: Readonly<Record<string, string>> = {
  // Not dated by W&B: present on every server the client still supports but the oldest.
  TOTAL_COUNT_IN_FILE_CONNECTION: "0.72.0",
  // Not dated by W&B: the official client omits `Artifact.digestAlgorithm` without it.
  ARTIFACT_DIGEST_ALGORITHM: "0.73.0",
  // Not dated by W&B: registry search predates the registry's advanced features.
  ARTIFACT_REGISTRY_SEARCH: "0.74.0",
  // wandb 0.30.0, `Run.console_logs`: "reading the log from the beginning requires 0.77".
  STRUCTURED_CONSOLE_LOGS: "0.77.0",
  // wandb 0.30.0, registries/_utils.py: added in 0.78 with `advancedRegistryFeatures`.
  ARTIFACT_COLLECTIONS_FILTERING_SORTING: "0.78.0",
  // Not dated by W&B: the membership in a link's answer came with the registry's growth.
  ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE: "0.79.0",
  // Not dated by W&B.
  INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION: "0.80.0",
  // wandb 0.30.0, sweeps.py: `_SWEEP_FILTERS_MIN_SERVER_VERSION = "0.81.4"`.
  SWEEPS_QUERY_FILTERING: "0.81.4",
  // wandb 0.30.0, api.py: "v0.83.0 … added `Entity.triggers`".
  QUERY_AUTOMATIONS_ON_ENTITY: "0.83.0",
  // Not dated by W&B: the newest of the client's gated mutations.
  MARK_RUN_FILES_UPLOADED: "0.84.0",
  // Automations. wandb 0.30.0, automations/_compat.py: run metric and metric change events and
  // no-op actions "added in 0.67.0", run state events in 0.69.0. The others are not dated by
  // W&B: they follow the order the client's ServerFeature enum lists them in, entity scope
  // with entity queries (0.83), ARIA last.
  AUTOMATION_EVENT_RUN_METRIC: "0.67.0",
  AUTOMATION_EVENT_RUN_METRIC_CHANGE: "0.67.0",
  AUTOMATION_ACTION_NO_OP: "0.67.0",
  AUTOMATION_EVENT_RUN_METRIC_ZSCORE: "0.69.0",
  AUTOMATION_EVENT_RUN_STATE: "0.69.0",
  AUTOMATION_ACTION_PUSH_NOTIFICATION: "0.71.0",
  AUTOMATION_EVENT_ADD_ARTIFACT_TAG: "0.74.0",
  AUTOMATION_EVENT_ADD_COLLECTION_TAG: "0.74.0",
  AUTOMATION_EVENT_REMOVE_ARTIFACT_TAG: "0.74.0",
  AUTOMATION_EVENT_REMOVE_COLLECTION_TAG: "0.74.0",
  AUTOMATION_EVENT_UNLINK_ARTIFACT: "0.76.0",
  AUTOMATION_SCOPE_ENTITY: "0.83.0",
  AUTOMATION_ACTION_ARIA: "0.84.0",
};

/** The release whose `serverInfo` first lists features (older ones cannot be asked). */
export const featuresFieldRelease = "0.71.0";

/** What a profile is: its version as the server states it, and its features. */
export interface ServerProfile {
  readonly version: ServerVersion;
  /** `serverInfo.latestLocalVersionInfo.versionOnThisInstanceString`; none on SaaS. */
  readonly versionString: string | undefined;
  /** Whether `serverInfo.features` exists. */
  readonly listsFeatures: boolean;
  /** The features it has. */
  readonly features: ReadonlySet<string>;
}

const compare = (a: string, b: string) => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/**
 * The profile of a release.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverProfile } from "@effect-wandb/api/testing";
 * assert.ok(serverProfile("0.81").features.has("STRUCTURED_CONSOLE_LOGS"));
 * assert.ok(!serverProfile("0.81").features.has("SWEEPS_QUERY_FILTERING"));
 * assert.ok(!serverProfile("0.70").listsFeatures);
 * ```
 */
export function serverProfile(version: ServerVersion = "latest"): ServerProfile {
  if (version === "latest") {
    return {
      version,
      versionString: undefined,
      listsFeatures: true,
      features: new Set(Object.keys(featureReleases)),
    };
  }
  const versionString = `${version}.0`;
  return {
    version,
    versionString,
    listsFeatures: compare(versionString, featuresFieldRelease) >= 0,
    features: new Set(
      Object.entries(featureReleases)
        .filter(([, release]) => compare(versionString, release) >= 0)
        .map(([feature]) => feature),
    ),
  };
}

/**
 * Whether `value` names a release the local server can act as.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isServerVersion } from "@effect-wandb/api/testing";
 * assert.ok(isServerVersion("0.77") && !isServerVersion("0.60"));
 * ```
 */
export function isServerVersion(value: unknown): value is ServerVersion {
  return (serverVersions as ReadonlyArray<unknown>).includes(value);
}
