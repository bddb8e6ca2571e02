"""The official W&B client downloading the benchmark artifact: `api.artifact(...).download()`.

Run by `bench/artifacts.ts` when WANDB_PYTHON names a Python with `wandb` installed:

    python bench/python/artifact_download.py <url> <api key> <out dir>

Prints one JSON line `{ mode, seconds, bytes, peakRssMb }`; the peak is of this process and every
process under it (the client's `wandb-core` service), sampled every 20 ms from /proc.
"""

import json
import os
import sys
import time

from _common import PeakRss, use_local_server

url, api_key, out = sys.argv[1:4]
use_local_server(url, api_key, out)


peak_rss = PeakRss()

import wandb  # noqa: E402  (imported under the sampler, as a user's script pays for it)

started = time.time()
api = wandb.Api()
artifact = api.artifact("acme/artifact-bench/big-dataset:v0")
root = artifact.download(root=f"{out}/root")
seconds = time.time() - started
peak_mb = peak_rss.stop()
size = sum(
    os.path.getsize(os.path.join(directory, name))
    for directory, _, names in os.walk(root)
    for name in names
)
print(
    json.dumps(
        {"mode": "python", "seconds": seconds, "bytes": size, "peakRssMb": peak_mb}
    )
)
