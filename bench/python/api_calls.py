"""The official W&B client's public API against the local server: each call a user of
`wandb.Api()` makes for runs, history, files, artifacts, sweeps, reports, teams, users and Launch
queues, with what it returned or the error.

Run by `bench/official_client.ts` (`deno task check:official-client`, WANDB_PYTHON naming a
Python with `wandb` installed), which starts the seeded local server:

    python bench/python/api_calls.py <url> <api key>

Prints one tab-separated line per call: name, ok or FAIL, the value or the error.
"""

import os
import sys
import tempfile

from _common import use_local_server

home = tempfile.mkdtemp()
use_local_server(sys.argv[1], sys.argv[2], home)

import wandb  # noqa: E402

api = wandb.Api()
results = []


def check(name, fn):
    """Runs one call, keeping what it returned or how it failed."""
    try:
        results.append((name, "ok", repr(fn())[:100]))
    except Exception as e:  # noqa: BLE001  (every failure is reported, none stops the others)
        message = " ".join(str(e).split())
        results.append((name, "FAIL", f"{type(e).__name__}: {message[:300]}"))


runs = list(api.runs("acme/mnist"))
run = runs[0]
check("runs", lambda: len(runs))
check("run.config", lambda: dict(run.config))
check("run.summary", lambda: dict(run.summary)["_step"] if "_step" in dict(run.summary) else list(dict(run.summary))[:3])
check("run.history(samples)", lambda: len(run.history(samples=10, pandas=False)))
check("run.scan_history", lambda: sum(1 for _ in run.scan_history(page_size=100)))
running = next(r for r in runs if r.state == "running")


def rows_and_steps(scan):
    steps = [row["_step"] for row in scan]
    return f"{running.id} {len(steps)} rows {len(set(steps))} steps"


check("running run.scan_history", lambda: rows_and_steps(running.scan_history()))
check("run.files", lambda: [f.name for f in run.files()])
check("run.file(name).download", lambda: run.file("output.log").download(root=home + "/f", replace=True).name)
check("api.artifact_types", lambda: [t.name for t in api.artifact_types("acme/mnist")])
check("api.artifact_type", lambda: api.artifact_type("dataset", "acme/mnist").name)
check("api.artifact_collections", lambda: [c.name for c in api.artifact_collections("acme/mnist", "dataset")])
check("api.artifact_collection", lambda: api.artifact_collection("dataset", "acme/mnist/mnist-raw").name)
check("api.artifact_collection_exists", lambda: api.artifact_collection_exists("acme/mnist/mnist-raw", "dataset"))
check("api.artifacts", lambda: [a.version for a in api.artifacts("dataset", "acme/mnist/mnist-raw")])
check("api.artifact", lambda: api.artifact("acme/mnist/mnist-raw:latest").version)
check("api.artifact_exists", lambda: api.artifact_exists("acme/mnist/mnist-raw:v0"))
art = api.artifact("acme/mnist/mnist-raw:v0")
check("artifact fields", lambda: (art.name, art.aliases, art.tags, art.type, art.digest, art.size, art.state, art.metadata))
check("artifact.manifest", lambda: sorted(art.manifest.entries))
check("artifact.files", lambda: [f.name for f in art.files()])
check("artifact.download", lambda: sorted(os.listdir(art.download(root=home + "/a"))))
check("artifact.get_entry", lambda: art.get_entry("train.csv").size)
check("artifact.verify", lambda: art.verify(root=home + "/a"))
check("artifact.logged_by", lambda: art.logged_by().id)
check("artifact.used_by", lambda: [r.id for r in art.used_by()])
check("run.logged_artifacts", lambda: [a.name for a in art.logged_by().logged_artifacts()])
check("run.used_artifacts", lambda: [a.name for a in art.used_by()[0].used_artifacts()])
check("collection.aliases", lambda: api.artifact_collection("dataset", "acme/mnist/mnist-raw").aliases)
check("artifact.save (description)", lambda: (setattr(art, "description", "edited by python"), art.save())[1] is None)
check("api.runs(filters)", lambda: len(api.runs("acme/mnist", filters={"state": "finished"})))
check("api.project / projects", lambda: [p.name for p in api.projects("acme")])
check("api.viewer", lambda: api.viewer.username)
check("api.sweep", lambda: api.sweep("acme/mnist/swp1").config.get("method"))
check("sweep.runs", lambda: len(api.sweep("acme/mnist/swp1").runs))
check("sweep.best_run", lambda: api.sweep("acme/mnist/swp1").best_run().id)
check("project.sweeps", lambda: [s.id for s in api.project("mnist", "acme").sweeps()])
check("run.sweep", lambda: sorted({r.sweep.id for r in api.runs("acme/mnist") if r.sweep}))
check("run.metadata", lambda: sorted((run.metadata or {}).keys())[:3])
check("api.reports", lambda: [r.display_name for r in api.reports("acme/mnist")])
check("api.team", lambda: [m.username for m in api.team("acme").members])
check("api.user", lambda: api.user("bob").username)
check("api.users", lambda: [u.username for u in api.users("b")])
check("api.run_queue", lambda: api.run_queue("acme", "gpu-queue").items)
check("run.summary update", lambda: (run.summary.update({"note": 1}), run.update()) and True)
check("api.create_project", lambda: api.create_project("made-by-python", "acme"))
for result in results:
    print("\t".join(result))
