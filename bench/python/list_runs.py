"""The official W&B client listing a project's runs with their config and summary, as its users
do at its fastest (`lazy=False`, `include_sweeps=False`), for `bench/listing.ts`:

    python bench/python/list_runs.py <url> <api key> <entity/project> <per_page>

Prints one JSON line: runs listed, summary keys read, seconds.
"""

import json
import sys
import tempfile
import time

from _common import use_local_server

home = tempfile.mkdtemp()
use_local_server(sys.argv[1], sys.argv[2], home)

import wandb  # noqa: E402

path, per_page = sys.argv[3], int(sys.argv[4])
api = wandb.Api(timeout=120)
started = time.monotonic()
runs = 0
keys = 0
for run in api.runs(path, per_page=per_page, lazy=False, include_sweeps=False):
    runs += 1
    keys += len(run.config) + len(run.summary._json_dict)
seconds = time.monotonic() - started
print(json.dumps({"mode": f"python per_page={per_page}", "runs": runs, "keys": keys, "seconds": seconds}))
