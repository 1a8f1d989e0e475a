"""Where the app keeps its files, and how it writes them.

Folders follow the XDG base directory spec; ``COMPOSER_CONFIG_DIR`` and ``COMPOSER_DATA_DIR``
override them (tests point both at a temporary folder).  Every write is atomic: the new content goes
to a temporary file in the same folder, is flushed to disk, then replaces the old file, so a crash
mid-save leaves either the old file or the new one, never a broken one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

APP_NAME = "composer"


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
