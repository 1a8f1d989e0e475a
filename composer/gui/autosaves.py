"""The autosave files: one per window, in ``autosaves/`` in the data folder.

A window writes ``<id>.json`` and holds ``<id>.lock`` for as long as it is open.  The lock is a
``QLockFile``, which records the process that holds it: a lock whose process is gone counts as
stale whatever its age (a staleness by age would hand a live window's file to another one), so at
start a window can tell the autosaves of windows that are still open (their locks are held) from
those of windows that ended without closing (a crash, a kill, a power cut).  It claims each of the
latter by taking its lock: two windows starting together never offer the same draft, and a draft
that was offered but not answered is offered again by the next start, even after another crash.

Earlier versions kept one ``autosave.json`` for every window, and an unanswered one as
``autosave.recovered.json`` (``.unanswered-<time>`` for older ones); :func:`take_in_old_autosaves`
brings them into the folder so they are offered like the others.

An autosave is a JSON object: ``version`` (1), ``savedAt`` (ISO 8601), ``path`` (the draft's
file, or null when untitled), ``draft`` (as a draft file holds it) and ``seen``, the draft's file
as the window last read or wrote it (``files.SeenFile``), so that a draft restored after a crash
asks before it saves over what another program wrote since.  Earlier versions wrote no ``seen``:
their drafts ask before they save over a file that is there.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile

from composer.core.storage import files

FOLDER = "autosaves"
#: what earlier versions left in the data folder itself
OLD_NAMES = ("autosave.json", "autosave.recovered.json", "autosave.recovered.json.unanswered-*")


def autosave_folder() -> Path:
    return files.data_dir() / FOLDER


def autosave_text(draft: dict[str, Any], path: Path | None, seen: files.SeenFile | None) -> str:
    """What an autosave file holds: ``draft``, from the file at ``path`` as it was ``seen``."""
    return json.dumps(
        {
            "version": 1,
            "savedAt": datetime.now().astimezone().isoformat(timespec="seconds"),
            "path": str(path) if path else None,
            "draft": draft,
            "seen": seen.to_json() if seen else None,
        },
        ensure_ascii=False,
    )


def seen_file(data: dict[str, Any]) -> files.SeenFile | None:
    """The draft's file as the autosaved window last read or wrote it; None when unknown."""
    return files.SeenFile.from_json(data.get("seen"))


def _random_name() -> str:
    """Twelve random hex digits: a name no other window picks (no clock or process id to collide)."""
    return os.urandom(6).hex()

class Autosave:
    """One window's autosave file and the lock that says the window is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = QLockFile(str(path.with_suffix(".lock")))
        # only a process that is gone makes a lock stale, never its age (see the module docstring)
        self._lock.setStaleLockTime(0)

    @classmethod
    def new(cls) -> Autosave:
        """A file no other window uses (not yet claimed)."""
        return cls(autosave_folder() / f"{_random_name()}.json")

    def claim(self) -> str:
        """Take the lock: "" once it is this window's, or why it cannot be."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"{self.path.parent} cannot be created ({exc.strerror or exc})"
        if self._lock.tryLock(0):
            return ""
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return f"{self.path.name} is in use by another window"
        return f"{self.path.parent} cannot be written"

    def try_claim(self) -> bool:
        """Take the lock of an earlier window's autosave: True when that window is gone."""
        return self._lock.tryLock(0)

    def held(self) -> bool:
        """True while this window holds the lock (it may write the file)."""
        return self._lock.isLocked()

    def release(self, remove: bool = True) -> str:
        """Delete the file (unless ``remove`` is False) and let go of the lock; "" or what failed."""
        problem = ""
        if remove:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                problem = f"{self.path} could not be removed: {exc.strerror or exc}"
        if self._lock.isLocked():
            self._lock.unlock()
        return problem


def _old_autosaves() -> list[Path]:
    return [old for pattern in OLD_NAMES for old in sorted(files.data_dir().glob(pattern))]


def take_in_old_autosaves() -> None:
    """Move the autosaves of earlier versions into the folder, where they are offered like any
    other (a rename: the file is never half in one place), and clear what their killed writes
    left."""
    folder = autosave_folder()
    files.remove_leftover_temporaries(files.data_dir() / OLD_NAMES[0])
    for old in _old_autosaves():
        target = folder / f"earlier-{_random_name()}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.replace(old, target)
        except OSError:  # left where it is: the next start tries again
            continue


def earlier_autosaves(claim: bool = True) -> list[Autosave]:
    """The autosaves of windows that ended without closing, newest first, each claimed for this
    window.  ``claim=False`` (a data folder no window can write, so no window holds a lock there):
    every autosave in the folder and those earlier versions left, unclaimed, read where they are.
    Locks that no autosave goes with (a window that ended before its first autosave) and the
    temporary files of killed writes are cleared."""
    folder = autosave_folder()
    found = []
    for path in folder.glob("*.json"):
        autosave = Autosave(path)
        if not claim or autosave.try_claim():
            found.append(autosave)
    if not claim:
        found += [Autosave(old) for old in _old_autosaves()]
    if claim:
        # ".<name>.json.<random>.tmp": atomic_write's temporary files (old ones only: a window
        # that is writing right now keeps its own)
        for name in {t.name[1:].split(".json.")[0] + ".json" for t in folder.glob(".*.json.*.tmp")}:
            files.remove_leftover_temporaries(folder / name)
        for lock in folder.glob("*.lock"):
            leftover = Autosave(lock.with_suffix(".json"))
            if not leftover.path.exists() and leftover.try_claim():
                leftover.release(remove=False)  # letting go deletes the lock file
    found.sort(key=_age)
    return found


def _age(autosave: Autosave) -> float:
    try:
        return -autosave.path.stat().st_mtime
    except OSError:
        return 0.0
