"""The files composer ships: window icons, sample drafts, the sandbox's scenario, the desktop file.

Read them through :func:`files`: the package's folder when it is one on disk (any install made by
pip), which is what ``importlib.resources.files`` would give, found without importing
``importlib.resources``.  That is imported only for a package on another kind of storage (a zip):
on Python 3.11 it cost the window 3 ms of start-up (A/B, 25 starts each).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def files() -> Traversable:
    folder = Path(__file__).parent
    if folder.is_dir():
        return folder
    from importlib.resources import files as stored

    return stored(__name__)
