"""What the scripts that run the official client share: pointing it at the local server, and
the peak resident set of this process and every process under it (the official client starts a
`wandb-core` service), sampled every 20 ms from /proc by a background thread."""

import os
import threading
import time


def use_local_server(url: str, api_key: str, home: str) -> None:
    """Points the official client at `url` with `api_key`, its files under `home`, quiet.

    Call it before `import wandb`, which reads these settings.
    """
    os.environ.update(
        WANDB_BASE_URL=url,
        WANDB_API_KEY=api_key,
        WANDB_SILENT="true",
        WANDB_DIR=home,
        WANDB_CACHE_DIR=f"{home}/cache",
        WANDB_CONFIG_DIR=f"{home}/config",
        WANDB_DATA_DIR=f"{home}/data",
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


class PeakRss:
    """Samples from creation until `stop()`, which returns the peak in MiB."""

    def __init__(self) -> None:
        self._peak_kb = 0
        self._sampling = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self._sampling:
            self._peak_kb = max(self._peak_kb, tree_rss_kb(os.getpid()))
            time.sleep(0.02)

    def stop(self) -> int:
        self._sampling = False
        self._thread.join()
        return round(self._peak_kb / 1024)
