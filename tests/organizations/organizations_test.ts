// Organizations against the local server: by name, or the default entity's (a team's
// organization, or the only one a user is in); an outsider learns nothing of one.
import assert from "node:assert/strict";
import { Effect } from "effect";
import { Api } from "../../mod.ts";
import { seedApiKey } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

Deno.test("organization(): by name, or the default entity's; none for an outsider", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const named = yield* api.organization("acme-corp");
      const missing = yield* Effect.flip(api.organization("no-such-org"));
      return { named, missing };
    }),
    { api: { entity: "acme" } },
  );
  assert.equal(r.named.name, "acme-corp");
  assert.equal(r.named.orgEntity?.name, "acme-corp-org");
  assert.equal(r.named.orgEntity?.entityType, "organization");
  assert.equal(r.missing._tag, "NotFoundError");
  // The team acme's organization, and alice's only one: the same.
  for (const entity of ["acme", "alice"]) {
    const org = await withServer(Effect.flatMap(Api, (api) => api.organization()), {
      api: { entity },
    });
    assert.equal(org.name, "acme-corp", entity);
  }
  // Carol is in no organization, and may not see acme-corp.
  const carol = seedApiKey("carol", 42);
  const asCarol = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      return {
        own: yield* Effect.flip(api.organization()),
        other: yield* Effect.flip(api.organization("acme-corp")),
      };
    }),
    { api: { apiKey: carol } },
  );
  assert.equal(asCarol.own._tag, "NotFoundError");
  assert.equal(asCarol.other._tag, "NotFoundError");
});
