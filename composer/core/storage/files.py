"""Where the app keeps its files, and how it writes them.

Folders follow the XDG base directory spec; ``COMPOSER_CONFIG_DIR`` and ``COMPOSER_DATA_DIR``
override them (tests point both at a temporary folder).  Every write is atomic: the new content goes
to a temporary file in the same folder, is flushed to disk, then replaces the old file, so a crash
mid-save leaves either the old file or the new one, never a broken one.  A write killed midway
leaves only its temporary file, which :func:`remove_leftover_temporaries` clears at the next start;
a damaged file is renamed by :func:`set_aside`, never deleted.
"""

from __future__ import annotations

import glob
import os
import tempfile
import time
from pathlib import Path

APP_NAME = "composer"

#: Our choice: how old a temporary file must be before it counts as left over.  A write lasts far
#: less than a second, so one this old belongs to a write that was killed, never to a write that
#: another window is making right now.
LEFTOVER_AGE_S = 60


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / APP_NAME


def config_dir() -> Path:
    override = os.environ.get("COMPOSER_CONFIG_DIR")
    return Path(override) if override else _xdg("XDG_CONFIG_HOME", ".config")


def data_dir() -> Path:
    override = os.environ.get("COMPOSER_DATA_DIR")
    return Path(override) if override else _xdg("XDG_DATA_HOME", ".local/share")


def atomic_write(path: Path, data: bytes | str, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename)."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _temporary_pattern(path: Path) -> str:
    """The names :func:`atomic_write` gives its temporary files for ``path``."""
    return f".{glob.escape(path.name)}.*.tmp"


def remove_leftover_temporaries(path: Path, older_than_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Remove the temporary files that killed writes of ``path`` left beside it, and return them.

    They never hold the only copy of anything: ``path`` is replaced only by a complete file.
    """
    removed = []
    cutoff = time.time() - older_than_s
    for leftover in Path(path).parent.glob(_temporary_pattern(Path(path))):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
        except FileNotFoundError:  # another start removed it first
            continue
    return removed


def set_aside(path: Path, label: str, name: str = "") -> Path:
    """Rename ``path`` to ``<name>.<label>-<time>`` beside it (``-2``, ``-3``... when that name is
    taken: two set-asides in one second never overwrite each other) and return the new path.
    ``name`` defaults to the file's own."""
    path = Path(path)
    name = f"{name or path.name}.{label}-{time.strftime('%Y%m%d-%H%M%S')}"
    number = 1
    while True:
        aside = path.with_name(name if number == 1 else f"{name}-{number}")
        number += 1
        if aside.exists():
            continue
        try:
            # a hard link is made only under a free name: a set-aside that another process made
            # since the check above is never overwritten
            os.link(path, aside)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: the check above has to do
            os.replace(path, aside)
            return aside
        os.unlink(path)
        return aside


def unwritable_reason(folder: Path) -> str:
    """Why files cannot be written in ``folder`` (created when missing), or "" when they can.

    The reason is the end of a sentence that names the folder: "/x/composer is read-only".
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"{folder} is a file, not a folder"
    except OSError as exc:
        return f"{folder} cannot be created ({exc.strerror or exc})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is read-only"
    return ""
