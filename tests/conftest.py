"""The suite's one entry point: Qt draws offscreen unless told otherwise, and the shared fixtures
(``tests/helpers/fixtures.py``) are available to every test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.fixtures"]
