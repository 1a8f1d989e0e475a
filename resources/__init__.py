"""The files composer ships: window icons, sample drafts, the sandbox's scenario, the desktop file.

Read them through :func:`files`, so they are found in an installed wheel, a source checkout or a
zipped package alike.
"""

from __future__ import annotations

from importlib.resources import files as _package_files
from importlib.resources.abc import Traversable


def files() -> Traversable:
    return _package_files(__name__)
