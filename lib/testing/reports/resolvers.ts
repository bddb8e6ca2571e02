/**
 * The local server's report field: `Project.allViews`, in the shape of the official client's
 * `ProjectViews` (reports are views of type `runs`).
 *
 * @module
 */
import type { EmulatorStore } from "../store.ts";
import type { StoredProject } from "../projects/store.ts";
import type { StoredUser } from "../users/store.ts";
import { offsetPage } from "../pages.ts";

/** The `Project` field about reports. */
export function projectReportFields(
  store: EmulatorStore,
  project: StoredProject,
  userView: (user: StoredUser) => unknown,
): Record<string, unknown> {
  return {
    allViews: (args: {
      viewType?: string | null;
      viewName?: string | null;
      after?: string | null;
      first?: number | null;
    }) => {
      const reports = (args.viewType ?? "runs") === "runs"
        ? store.reports.list(project.internalId, args.viewName)
        : [];
      const page = offsetPage(reports, args.after, args.first, 50);
      return {
        pageInfo: page.pageInfo,
        edges: page.edges.map(({ node, cursor }) => {
          const user = node.username === null ? undefined : store.users.byName(node.username);
          return {
            cursor,
            node: {
              id: btoa(`View:${node.id}`),
              name: node.name,
              displayName: node.displayName,
              description: node.description,
              type: "runs",
              user: user === undefined ? null : userView(user),
              spec: node.spec,
              createdAt: node.createdAt,
              updatedAt: node.updatedAt,
            },
          };
        }),
      };
    },
  };
}
