"""The benchmark harness runs and reports (its figures are printed by ``python -m benchmarks``, never
asserted here: timings belong in the benchmark, not in a test that flakes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.drafts import maximal_call
from benchmarks.window_probe import LAZY
from composer.core.call.preview import preview
from tests.helpers.environment import IN_CI, LAZY_MODULES, REPO, window_env

BENCHMARKS = REPO / "benchmarks"


def _probe(tmp_path: Path, script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], env=window_env(tmp_path), capture_output=True, text=True,
                         timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_memory_probe_reports_peak_and_no_lazy_module(tmp_path):
    assert set(LAZY) == set(LAZY_MODULES)  # the probe watches the modules the tests hold back for first use
    bare = _probe(tmp_path, "window_probe.py", "bare")
    composer = _probe(tmp_path, "window_probe.py", "composer")
    assert bare["maxrss_kb"] > 10_000 and composer["maxrss_kb"] > bare["maxrss_kb"]
    assert composer["modules"] == []
    assert composer["pages_built"] == []  # Options and Result are built when first opened
    maximal = _probe(tmp_path, "window_probe.py", "composer-maximal-every-page")  # composer maximal.json, every page opened
    assert maximal["title"].startswith("maximal.json") and maximal["pages_built"] == ["options", "result"]
    twitter = next(p.twitter for p in preview(maximal_call()) if p.twitter is not None)
    assert maximal["twitter_weighted_length"] == twitter.weighted_length  # the draft's links were counted for Twitter
    assert maximal["maxrss_kb"] > composer["maxrss_kb"]


def test_phase_timer_names_every_phase_and_the_pages_opened_later(tmp_path):
    out = subprocess.run([sys.executable, str(BENCHMARKS / "startup_phases.py")], env=window_env(tmp_path), capture_output=True, text=True,
                         timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    phases = json.loads(out.stdout.strip().splitlines()[-1])
    names = [name for name, _ in phases]
    assert names == [
        "import PySide6's widgets (the floor pays it too)",
        "import composer.gui.app: the core and the window's modules",
        "create the application (icon, palette, colour scheme)",
        "build the window and its controllers",
        "start: profiles, recent files, autosave check, first previews and validation",
        "show and paint the first frame",
        "after the first paint, until start-up is over",
        "open the Options page for the first time",
        "open the Result page for the first time",
    ]
    assert all(ms >= 0 for _, ms in phases)


def test_suite_prints_a_table_and_writes_json(tmp_path):
    out_file = tmp_path / "latest.json"
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "publish", "--out", str(out_file)],
                         env=window_env(tmp_path), capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines()[0].split() == ["figure", "result", "target", "met"]
    assert any(line.startswith("publish ") for line in out.stdout.splitlines())
    written = json.loads(out_file.read_text())
    assert set(written["results"]) == {"publish"}
    assert written["results"]["publish"]["client_ms"] > 0


def test_x11_start_up_runs_on_an_x_server_of_its_own(tmp_path):
    """The X11 figure starts its own Xvfb (CI installs it; locally it says it was skipped)."""
    out_file = tmp_path / "x11.json"
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "startup_x11", "--out", str(out_file)],
                         env=window_env(tmp_path), capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    x11 = json.loads(out_file.read_text())["results"]["startup_x11"]
    if "skipped" in x11:
        assert not IN_CI, x11["skipped"]
        return
    assert x11["app_ms"] > x11["bare_ms"] > 0 and x11["plain_qt_same_screen_ms"] > 0
