"""Opening the window sooner: the start-up work that exists only for speed, in one place.

``start_window`` imports the window's modules and hands over to :func:`composer.gui.app.main`,
which is ordinary code: it builds what the first frame shows and defers the rest behind plain
seams (pages built when first opened, the HTTP stack and the keyring loaded with the first
publish).  Two costs belong to Python and PySide6 themselves rather than to anything the user
sees; they grow with every module the window imports, so they are removed here, once:

- **The cyclic garbage collector waits until the window's modules are imported.**  Importing them
  creates tens of thousands of objects that live as long as the process (classes, functions, Qt's
  enum types) and next to no garbage, yet the collector would trace them again and again on the
  way.  Afterwards they are frozen (``gc.freeze`` moves them to a permanent generation that later
  collections skip) and collection resumes before the window is built.
- **PySide6 is told that no module selects a** ``__feature__``.  PySide6 lets a module write
  ``from __feature__ import snake_case``; to find such modules it reads the whole source of every
  module imported after it and keeps that text in memory (``linecache``).  Neither Composer nor the
  libraries it uses select a feature, so every module is marked as one PySide6 may ignore, which is
  what PySide6 itself records for a module that never mentions it.  The hook is private to PySide6
  (``shibokensupport.feature``); should a release change it, this step does nothing and only
  start-up is slower.  ``tests/unit/gui/test_startup.py`` says whether it still applies.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType


def start_window(argv: Sequence[str] | None = None) -> int:
    """Open the window (``composer`` or ``composer DRAFT.json``) and run it until it is closed."""
    return import_window().main(argv)


def import_window() -> ModuleType:
    """:mod:`composer.gui.app` and every module the window is built from."""
    with collection_paused():
        ignore_feature_selection()
        from composer.gui import app
    return app


@contextmanager
def collection_paused() -> Iterator[None]:
    """Cyclic garbage collection off inside the block; afterwards what the block created is moved
    out of the collector's reach for good (``gc.freeze``) and collection is back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def ignore_feature_selection() -> bool:
    """Import PySide6 and mark every module imported from now on as one that selects no
    ``__feature__``; False when this PySide6 has no such hook (nothing is changed then)."""
    import PySide6.QtCore  # noqa: F401  (installs PySide6's import hook)

    try:
        from shibokensupport import feature
    except ImportError:
        return False
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _mentions_no_pyside
    return True


def _mentions_no_pyside(module: object) -> bool:
    # PySide6 asks whether a module's source mentions PySide6 (only then might it select a
    # feature); "no" makes it ignore the module from then on
    return False
