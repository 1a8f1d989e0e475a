"""The window follows the desktop's colour scheme from its first frame, on a real X server.

Under Xvfb, in a private D-Bus session, a stand-in for the desktop's settings portal
(``tests/helpers/desktop_portal.py``) tells Qt's portal theme that the desktop prefers dark or light, as
GNOME does.  Qt's portal theme then reports the scheme but keeps its palette light (the GTK
theme's), so the window must follow the scheme, not the palette.  Without the portal theme the
scheme is unknown and Qt's palette decides.

Needs ``xvfb-run`` and ``dbus-run-session`` (Debian: ``xvfb xauth dbus``; see ``.ci/run``), and
GTK 3 (``libgtk-3-0``), whose theme gives Qt's portal theme its light palette.
Skipped with the reason when they are missing, except under CI (``CI=true``), where a missing tool
fails the test instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.helpers.environment import HELPERS, REPO, require, window_env

# Runs inside the X server and the private bus: the portal first, then the window, each a process.
DRIVER = textwrap.dedent(
    r"""
    import json, os, subprocess, sys
    portal_script, scheme, theme, desktop = sys.argv[1:5]
    portal = subprocess.Popen([sys.executable, portal_script, scheme], stdout=subprocess.PIPE, text=True)
    try:
        assert portal.stdout.readline().strip() == "ready"
        window = subprocess.run([sys.executable, "-c", sys.stdin.read()], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORMTHEME": theme,
                                     "XDG_CURRENT_DESKTOP": desktop, "COMPOSER_EXIT_AFTER_PAINT": "1"})
    finally:
        portal.kill()
    asked = [line.split()[1] for line in portal.stdout.read().splitlines() if line.startswith("asked ")]
    print(json.dumps({"rc": window.returncode, "out": window.stdout, "err": window.stderr[-3000:], "asked": asked}))
    """
)

# The window as `composer` starts it; at its first frame it reports what it shows.
WINDOW = textwrap.dedent(
    r"""
    import json, sys
    from composer.gui import app as composer_app
    build = composer_app.build_window
    def watched():
        from PySide6.QtWidgets import QApplication
        window, controller = build()
        def report():
            app = QApplication.instance()
            print(json.dumps({"platform": app.platformName(), "window": app.palette().color(app.palette().ColorRole.Window).name(),
                              "scheme": app.styleHints().colorScheme().name}), flush=True)
        window.first_painted.connect(report)
        return window, controller
    composer_app.build_window = watched
    sys.exit(composer_app.main([]))
    """
)


def _tools() -> list[str]:
    missing = [tool for tool in ("xvfb-run", "dbus-run-session") if shutil.which(tool) is None]
    require(not missing, f"needs {' and '.join(missing)} (Debian: xvfb xauth dbus libgtk-3-0)")
    return [shutil.which("xvfb-run"), "-a", shutil.which("dbus-run-session"), "--"]


@pytest.mark.parametrize(
    ("theme", "preference", "dark"),
    [("xdgdesktopportal", 1, True), ("xdgdesktopportal", 2, False), ("", 1, False)],
    ids=["portal-prefers-dark", "portal-prefers-light", "no-desktop-theme"],
)
def test_the_first_frame_follows_the_desktops_colour_scheme(tmp_path, theme, preference, dark):
    """With Qt's portal theme the window follows the portal's answer; without a desktop theme
    (Qt's generic one, which asks no portal) it follows the palette."""
    env = {k: v for k, v in window_env(tmp_path).items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    desktop = "GNOME" if theme else ""
    done = subprocess.run([*_tools(), sys.executable, "-c", DRIVER, str(HELPERS / "desktop_portal.py"), str(preference), theme, desktop],
                          input=WINDOW, capture_output=True, text=True, timeout=120, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0, result["err"]
    shown = json.loads(result["out"].splitlines()[0])
    assert shown["platform"] == "xcb"
    if theme:
        assert result["asked"], "Qt's portal theme never asked the stand-in portal"
        assert shown["scheme"] == ("Dark" if dark else "Light")
    else:
        assert shown["scheme"] == "Unknown"
    if dark:
        assert shown["window"] == "#1f2329"  # the app's dark palette, though Qt's own stayed light
    else:
        assert shown["window"] != "#1f2329"
