/**
 * The seeded registries of acme-corp: `model`, visible to the organization, holding the MNIST
 * classifier (two versions of mnist-cnn, `production` and `staging`); and `golden-data`,
 * restricted to its members (alice), holding a curated MNIST dataset.
 *
 * @module
 */
import type { CoreSeed } from "../seed.ts";
import { seedArtifacts } from "../artifacts/seed.ts";

/** A registry of the seeded server. */
export interface SeedRegistry {
  /** Its name, without the `wandb-registry-` prefix. */
  readonly name: string;
  readonly orgEntity: string;
  readonly description: string;
  /** `PRIVATE` (the organization sees it) or `RESTRICTED` (its members do). */
  readonly access: string;
  /** The artifact types it takes; empty for all. */
  readonly artifactTypes: ReadonlyArray<string>;
  /** Its first admin. */
  readonly admin: string;
  /** Versions linked into its collections: `entity/project/sequence`, the version index, aliases. */
  readonly links: ReadonlyArray<{
    readonly collection: string;
    readonly from: string;
    readonly version: number;
    readonly aliases: ReadonlyArray<string>;
  }>;
}

/** The seeded registries (none when the seed has no artifacts to link). */
export function seedRegistries(core: CoreSeed): Array<SeedRegistry> {
  // Their versions are the seeded artifacts', which a seed of fewer than four MNIST runs lacks.
  if (seedArtifacts(core).length === 0) return [];
  return [
    {
      name: "model",
      orgEntity: "acme-corp-org",
      description: "Models cleared for production",
      access: "PRIVATE",
      artifactTypes: ["model"],
      admin: "alice",
      links: [
        {
          collection: "mnist-classifier",
          from: "acme/mnist/mnist-cnn",
          version: 1,
          aliases: ["production"],
        },
        {
          collection: "mnist-classifier",
          from: "acme/mnist/mnist-cnn",
          version: 2,
          aliases: ["staging"],
        },
      ],
    },
    {
      name: "golden-data",
      orgEntity: "acme-corp-org",
      description: "Curated datasets",
      access: "RESTRICTED",
      artifactTypes: ["dataset"],
      admin: "alice",
      links: [
        {
          collection: "curated-mnist",
          from: "acme/mnist/mnist-raw",
          version: 1,
          aliases: ["golden"],
        },
      ],
    },
  ];
}
