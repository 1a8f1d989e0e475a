"""The self-contained app against the installed package: the folder's size, and start-up.

    python benchmarks/frozen_app.py dist/composer/composer build/packaging-venv/bin/composer

(``packaging/build`` makes both: the folder, and the wheel installed in its build venv.)  Each
figure is the median of eleven starts, taken in turn: ``--version`` (the interpreter and the
command line, no Qt), ``preview --json`` on a sample draft (the core), and the window's first frame
offscreen (``COMPOSER_EXIT_AFTER_PAINT``: launch to the ``painted`` line).  Prints JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: the screen the other benchmarks give the window (benchmarks/screen.json), so its figures compare
OFFSCREEN = f"offscreen:configfile={Path(__file__).resolve().parent / 'screen.json'}"

RUNS = 11
DRAFT = Path(__file__).resolve().parents[1] / "resources" / "drafts" / "product-launch.json"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def until_painted(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    with subprocess.Popen(command, env={**env, "COMPOSER_EXIT_AFTER_PAINT": "1"}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        for line in proc.stdout:
            if line.strip() == "painted":
                elapsed = time.perf_counter() - start
                break
        else:
            raise SystemExit(f"{command[0]} never painted")
        proc.wait(60)
    return elapsed * 1000


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    return (time.perf_counter() - start) * 1000


def main(frozen: str, installed: str) -> int:
    home = tempfile.mkdtemp()
    env = {**os.environ, "QT_QPA_PLATFORM": OFFSCREEN, "HOME": home, "XDG_CONFIG_HOME": f"{home}/c", "XDG_DATA_HOME": f"{home}/d",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    figures: dict[str, dict[str, float]] = {}
    for name, probe in (("--version", lambda c: timed([c, "--version"], env)),
                        ("preview --json", lambda c: timed([c, "preview", "--json", str(DRAFT)], env)),
                        ("first frame", lambda c: until_painted([c], env))):
        for command in (frozen, installed):  # one start each to warm the file cache
            probe(command)
        samples: dict[str, list[float]] = {"frozen": [], "installed": []}
        for _ in range(RUNS):
            samples["frozen"].append(probe(frozen))
            samples["installed"].append(probe(installed))
        figures[name] = {k: round(statistics.median(v), 1) for k, v in samples.items()}
    frozen_folder = Path(frozen).resolve().parent
    print(json.dumps({"folder": str(frozen_folder), "folder_mb": round(folder_size(frozen_folder) / 1e6, 1), "start_ms": figures}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
