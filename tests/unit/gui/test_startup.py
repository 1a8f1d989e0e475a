"""The start-up work that exists only for speed (composer/gui/startup.py): it still applies to the
PySide6 we pin, ``composer`` goes through it, and it leaves the collector running.  That it changes
nothing the window does is the whole suite's job: tests/conftest.py sets PySide6 up the same way."""

from __future__ import annotations

import gc
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from composer.gui.startup import collection_paused, start_window
from tests.helpers.environment import window_env

#: a module no test imports before: whether PySide6 read and kept its source once it is imported
_KEEPS_SOURCE = """
import linecache, sys
from composer.gui import startup
import PySide6.QtCore
{prepare}
from composer.core.fingerprint import BITS  # PySide6 looks at the module an import statement names
print(sys.modules["composer.core.fingerprint"].__file__ in linecache.cache)
"""


def _source_kept(prepare: str) -> bool:
    out = subprocess.run([sys.executable, "-c", _KEEPS_SOURCE.format(prepare=prepare)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


def test_pyside6_reads_every_later_module_unless_it_marks_them_by_name():
    assert _source_kept("")  # PySide6's own hook, as it comes
    assert not _source_kept("assert startup.mark_modules_by_name()")


def test_composer_opens_the_window_without_reading_any_module_and_with_the_imports_frozen(tmp_path):
    """``composer`` (cli.main without a subcommand) opens the window through start_window: PySide6
    records our modules as using it and others as ignorable, reads no source, and what the imports
    made is frozen.  Leaving after start-up, it prints what it found."""
    code = (
        "import atexit, gc, linecache, sys\n"
        "from pathlib import Path\n"
        "import composer\n"
        "from composer import cli\n"
        "ours = str(Path(composer.__file__).parent)\n"
        "def report():\n"
        "    from shibokensupport.feature import pyside_feature_dict as seen\n"
        "    kept = sorted(f for f in linecache.cache if f.startswith(ours))\n"
        "    marks = {seen[name] for name in seen if name.startswith('composer.gui.')}\n"
        "    print(kept, marks, seen.get('json'), gc.get_freeze_count() > 0)\n"
        "atexit.register(report)\n"
        "sys.exit(cli.main([]))\n"
    )
    env = {**window_env(tmp_path), "COMPOSER_EXIT_AFTER_PAINT": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["painted", "ready", "[] {0} -1 True"]


def test_collection_is_paused_inside_and_everything_is_frozen_after():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with collection_paused():
            assert not gc.isenabled()
            made = [[] for _ in range(100)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.unfreeze()


def test_collection_comes_back_after_an_error_and_stays_off_if_it_was_off():
    try:
        with pytest.raises(ZeroDivisionError), collection_paused():
            1 / 0
        assert gc.isenabled()
        gc.disable()
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_every_window_launcher_starts_through_start_window():
    """``composer-gui`` (the launcher without a terminal) opens the window as ``composer`` does."""
    (gui_script,) = entry_points(group="gui_scripts", name="composer-gui")
    assert gui_script.load() is start_window
