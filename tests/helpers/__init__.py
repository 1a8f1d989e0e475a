"""What the tests share, each thing defined once; no test module imports another.

- ``fixtures.py``: every shared fixture (``tests/conftest.py`` loads it for the whole suite).
- ``stubs.py``: stand-ins for what a test cannot use for real (a keychain, a misbehaving server).
- ``gui.py``: driving the window's widgets as a user would.
- ``environment.py``: the checkout and the shared folder beside it, what a test needs from outside
  (CI or not), and the environment of a window in a process of its own.
- ``nothing_lost_editor.py``, ``nothing_lost_saver.py``, ``desktop_portal.py``: scripts that tests
  start as processes of their own.
"""
