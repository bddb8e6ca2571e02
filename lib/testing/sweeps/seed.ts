/**
 * The seeded sweep: acme/mnist's lr sweep \`swp1\`, whose runs are the seeded runs naming it.
 *
 * @module
 */

/** A sweep of the seeded server. */
export interface SeedSweep {
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly displayName: string;
  readonly method: string;
  readonly state: string;
  /** The config as W&B stores it: YAML text. */
  readonly config: string;
  readonly runCountExpected: number;
}

/** The seeded sweeps. */
export const seedSweeps: ReadonlyArray<SeedSweep> = [{
  entity: "acme",
  project: "mnist",
  name: "swp1",
  displayName: "lr-sweep",
  method: "bayes",
  state: "FINISHED",
  config: [
    "method: bayes",
    "metric:",
    "  name: loss",
    "  goal: minimize",
    "parameters:",
    "  lr:",
    "    distribution: log_uniform_values",
    "    min: 0.0001",
    "    max: 0.1",
    "  optimizer:",
    "    values: [adam, sgd, adamw]",
    "",
  ].join("\n"),
  runCountExpected: 12,
}];
