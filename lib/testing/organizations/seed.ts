/**
 * The seeded organization: acme-corp, whose org entity (where its registries live) has alice and
 * bob as members, and to which the team acme belongs. Carol and globex are in no organization.
 *
 * @module
 */

/** An organization of the seeded server. */
export interface SeedOrganization {
  readonly name: string;
  readonly orgEntity: string;
  /** The org entity's members: the organization's users. */
  readonly members: ReadonlyArray<string>;
  readonly admins: ReadonlyArray<string>;
  readonly teams: ReadonlyArray<string>;
}

/** The seeded organizations. */
export const seedOrganizations: ReadonlyArray<SeedOrganization> = [
  {
    name: "acme-corp",
    orgEntity: "acme-corp-org",
    members: ["alice", "bob"],
    admins: ["alice"],
    teams: ["acme"],
  },
];
