"""The official W&B client downloading the benchmark artifact: `api.artifact(...).download()`.

Run by `bench/artifacts.ts` when WANDB_PYTHON names a Python with `wandb` installed:

    python bench/python/artifact_download.py <url> <api key> <out dir>

Prints one JSON line `{ mode, seconds, bytes, peakRssMb }`; the peak is of this process and every
process under it (the client's `wandb-core` service), sampled every 20 ms from /proc.
"""

import json
import os
import sys
import threading
import time

url, api_key, out = sys.argv[1:4]
os.environ.update(
    WANDB_BASE_URL=url,
    WANDB_API_KEY=api_key,
    WANDB_SILENT="true",
    WANDB_CACHE_DIR=f"{out}/cache",
    WANDB_DATA_DIR=f"{out}/data",
    WANDB_DIR=out,
    WANDB_CONFIG_DIR=f"{out}/config",
)


def tree_rss_kb(pid: int) -> int:
    """Resident set of `pid` and its descendants, in KiB."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as children:
                for child in children.read().split():
                    total += tree_rss_kb(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


peak_kb = 0
sampling = True


def sample() -> None:
    global peak_kb
    while sampling:
        peak_kb = max(peak_kb, tree_rss_kb(os.getpid()))
        time.sleep(0.02)


sampler = threading.Thread(target=sample, daemon=True)
sampler.start()

import wandb  # noqa: E402  (imported under the sampler, as a user's script pays for it)

started = time.time()
api = wandb.Api()
artifact = api.artifact("acme/artifact-bench/big-dataset:v0")
root = artifact.download(root=f"{out}/root")
seconds = time.time() - started
sampling = False
sampler.join()
size = sum(
    os.path.getsize(os.path.join(directory, name))
    for directory, _, names in os.walk(root)
    for name in names
)
print(
    json.dumps(
        {"mode": "python", "seconds": seconds, "bytes": size, "peakRssMb": round(peak_kb / 1024)}
    )
)
