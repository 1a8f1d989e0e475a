"""The suite's one entry point: Qt draws offscreen unless told otherwise, and the shared fixtures
(``tests/helpers/fixtures.py``) are available to every test."""

import os

from composer.gui.startup import mark_modules_by_name

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# every test runs on PySide6 set up as the window sets it up (composer/gui/startup.py), so the
# suite tells if that setup changes what the window does
mark_modules_by_name()

pytest_plugins = ["tests.helpers.fixtures"]
