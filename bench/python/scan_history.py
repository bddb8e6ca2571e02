"""The official W&B client exporting every run's history to NDJSON, as its users write it:

    for run in api.runs(...):
        for row in run.scan_history(page_size=1000):
            out.write(json.dumps(row) + "\\n")

Run by `bench/history.ts` when WANDB_PYTHON names a Python with `wandb` installed:

    python bench/python/scan_history.py <url> <api key> <out file> [max runs]

Prints one JSON line `{ mode, rows, seconds, peakRssMb }`; the peak is of this process and every
process under it (the client's `wandb-core` service), sampled every 20 ms from /proc.
"""

import json
import sys
import tempfile
import time

from _common import PeakRss, use_local_server

url, api_key, out = sys.argv[1:4]
max_runs = int(sys.argv[4]) if len(sys.argv) > 4 else None
use_local_server(url, api_key, tempfile.mkdtemp())


peak_rss = PeakRss()

import wandb  # noqa: E402  (imported under the sampler, as a user's script pays for it)

started = time.time()
rows = 0
with open(out, "w") as file:
    for index, run in enumerate(wandb.Api().runs("acme/bench", per_page=100)):
        if max_runs is not None and index >= max_runs:
            break
        for row in run.scan_history(page_size=1000):
            row["run_id"] = run.id
            row["run_path"] = "/".join(run.path)
            file.write(json.dumps(row) + "\n")
            rows += 1
seconds = time.time() - started
peak_mb = peak_rss.stop()
print(json.dumps({"mode": "python", "rows": rows, "seconds": seconds, "peakRssMb": peak_mb}))
