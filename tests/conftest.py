"""The suite's one entry point: Qt draws offscreen unless told otherwise, and the shared fixtures
(``tests/helpers/fixtures.py``) are available to every test."""

import os

from composer.gui.startup import ignore_feature_selection

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the suite runs on PySide6 set up as the window starts it (composer/gui/startup.py)
ignore_feature_selection()

pytest_plugins = ["tests.helpers.fixtures"]
