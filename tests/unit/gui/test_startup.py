"""The start-up work that is there only for speed (composer/gui/startup.py): it still applies to the
PySide6 we pin, it changes nothing the window does, and it leaves the collector as it found it."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from composer.gui.startup import collection_paused
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


def test_pyside6_reads_every_later_module_unless_told_no_module_selects_a_feature():
    assert _source_kept("")  # PySide6's own hook, as it comes
    assert not _source_kept("assert startup.ignore_feature_selection()")


def test_the_window_starts_with_the_remedy_in_place(tmp_path, python_exe):
    """``composer`` (start_window) opens the window with the hook answered and nothing of ours kept
    in memory as source text; the window still derives its previews."""
    code = (
        "import linecache, sys\n"
        "from composer.gui import startup\n"
        "app = startup.import_window()\n"
        "from PySide6.QtCore import QTimer\n"
        "build = app.build_window\n"
        "def watched():\n"
        "    window, controller = build()\n"
        "    shown = []\n"
        "    show_previews = window.show_previews\n"
        "    window.show_previews = lambda previews: (shown.append(len(previews)), show_previews(previews))\n"
        "    def report():\n"
        "        kept = sorted(f for f in linecache.cache if '/composer/' in f)\n"
        "        print(kept, shown[-1])\n"
        "        window.close()\n"
        "    window.ready.connect(report)\n"
        "    return window, controller\n"
        "app.build_window = watched\n"
        "QTimer.singleShot(20000, lambda: sys.exit(3))\n"
        "sys.exit(app.main([]))\n"
    )
    out = subprocess.run([python_exe, "-c", code], capture_output=True, text=True, timeout=60, env=window_env(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] 6"  # nothing kept; a preview for each of the six networks


def test_collection_is_paused_inside_and_what_was_made_there_is_frozen():
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
