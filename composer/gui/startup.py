"""Opening the window sooner: the start-up work that exists only for speed, in one place.

``start_window`` imports the window's modules and hands over to :func:`composer.gui.app.main`,
which is ordinary code: it builds what the first frame shows and defers the rest behind plain
seams (pages built when first opened, the HTTP stack and the keyring loaded with the first
publish).  Two costs belong to Python and PySide6 themselves rather than to anything the user
sees; they grow with every module the window imports, so they are removed here, once:

- **The cyclic garbage collector waits until the window's modules are imported.**  Importing them
  creates many objects that live as long as the process (modules, classes, functions, Qt's enum
  types) and little garbage, yet the collector would examine the new objects again and again as
  they pile up.  Afterwards every object tracked so far is frozen (``gc.freeze`` moves them to a
  permanent generation that later collections skip; the little garbage the imports left is kept
  with them) and collection resumes before the window is built.  A test plan run unfreezes them
  again when it ends (``gui/controllers/plans.py``), which costs only later collections' time.
- **PySide6 is told which modules use it without reading them.**  PySide6 lets a module write
  ``from __feature__ import snake_case`` and keeps, for every module imported after it, whether
  that module uses PySide6: such a module's code always sees the plain API, whatever feature
  another module selected.  To tell, it reads the whole source of each module and keeps the text
  in memory (``linecache``).  Here the answer comes from the module's name instead: Composer's own
  modules use PySide6, every other module is one PySide6 may ignore.  No module of ours selects a
  feature (``tests/unit/test_house_rules.py`` keeps it so).  The hook is private to PySide6
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
        mark_modules_by_name()
        from composer.gui import app
    return app


@contextmanager
def collection_paused() -> Iterator[None]:
    """Cyclic garbage collection off inside the block; afterwards every object tracked so far is
    frozen (``gc.freeze``) and collection is back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def mark_modules_by_name() -> bool:
    """Import PySide6 and have it tell the modules that use it by their name, not by reading their
    source; False when this PySide6 has no such hook (nothing is changed then)."""
    import PySide6.QtCore  # noqa: F401  (installs PySide6's import hook)

    try:
        from shibokensupport import feature
    except ImportError:
        return False
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _is_ours
    return True


def _is_ours(module: object) -> bool:
    return getattr(module, "__name__", "").partition(".")[0] == "composer"
