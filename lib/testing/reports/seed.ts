/**
 * The seeded reports of acme/mnist: one with sections, panels and run sets, one empty.
 *
 * @module
 */

/** A report of the seeded server. */
export interface SeedReport {
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly username: string;
  /** The spec: sections (`panelGroups`) with their panels and run sets, as JSON text. */
  readonly spec: string;
}

/** The seeded reports. */
export const seedReports: ReadonlyArray<SeedReport> = [
  {
    entity: "acme",
    project: "mnist",
    name: "report-1",
    displayName: "Loss curves of the lr sweep",
    description: "What the sweep found",
    username: "alice",
    spec: JSON.stringify({
      version: 5,
      panelGroups: [
        {
          name: "Losses",
          panels: [
            { viewType: "Run History Line Plot", config: { metrics: ["loss", "val/loss"] } },
            { viewType: "Parallel Coordinates Plot", config: { columns: ["c::lr", "loss"] } },
          ],
          runSets: [{
            name: "Sweep runs",
            filters: {
              op: "OR",
              filters: [{
                op: "AND",
                filters: [{ key: { section: "run", name: "sweep" }, op: "=", value: "swp1" }],
              }],
            },
            sort: { keys: [{ key: { section: "summary", name: "loss" }, ascending: true }] },
          }],
        },
        {
          name: "Accuracy",
          panels: [{ viewType: "Bar Chart", config: { metrics: ["accuracy"] } }],
          runSets: [],
        },
      ],
    }),
  },
  {
    entity: "acme",
    project: "mnist",
    name: "report-2",
    displayName: "Weekly notes",
    description: "",
    username: "bob",
    spec: JSON.stringify({ version: 5, panelGroups: [] }),
  },
];
