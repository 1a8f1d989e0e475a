"""Put Composer in the desktop's menu, or take it out (Linux and other desktops that follow
freedesktop.org): 'composer desktop install' writes the desktop entry and the icons into your own
folders (no root needed), so Composer appears in the menu and in "Open with" for draft (JSON)
files; 'composer desktop uninstall' removes exactly what install wrote.

The entry runs the composer that ran this command: the one of this virtual environment, or the
self-contained app itself."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from composer.core.storage.files import atomic_write
from composer.resources import files as resource_files

#: the desktop entry's file name: Qt names the window's application after it (gui/app.py,
#: setDesktopFileName), so the desktop matches running windows to the menu entry
DESKTOP_FILE = "composer.desktop"
#: the PNG sizes shipped in resources/icons (the icon theme spec's hicolor sizes)
ICON_SIZES = (16, 32, 48, 64, 128, 256)
#: our choice: long enough for update-desktop-database on a large applications folder, short
#: enough that a hung tool does not hang the command
TOOL_TIMEOUT_S = 30

# https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html: an argument
# holding one of these is quoted, and inside quotes these four are escaped with a backslash
_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")
_ESCAPED_IN_QUOTES = re.compile(r"""(["`$\\])""")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("install", "uninstall"), help="put Composer in the menu, or take it out")


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (the base
    directory spec says to ignore a relative one)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local/share"


def entry_path() -> Path:
    return data_home() / "applications" / DESKTOP_FILE


def icon_paths() -> dict[str, Path]:
    """Shipped icon file name -> where the hicolor theme wants it."""
    hicolor = data_home() / "icons" / "hicolor"
    paths = {f"composer-{size}.png": hicolor / f"{size}x{size}" / "apps" / "composer.png" for size in ICON_SIZES}
    paths["composer.svg"] = hicolor / "scalable" / "apps" / "composer.svg"
    return paths


def launcher() -> list[str]:
    """The command that starts this composer: the self-contained app, the ``composer`` script beside
    this interpreter (a virtual environment), the one on PATH, or this interpreter with ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    beside = Path(sys.executable).with_name("composer")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("composer")
    return [found] if found else [sys.executable, "-m", "composer"]


def exec_argument(arg: str) -> str:
    """``arg`` as the Exec key spells it: quoted when it must be, then with the value's own escapes
    (a backslash doubled, ``%`` doubled)."""
    if _RESERVED.search(arg):
        arg = '"' + _ESCAPED_IN_QUOTES.sub(r"\\\1", arg) + '"'
    return arg.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry, made to run ``command``."""
    shipped = (resource_files() / DESKTOP_FILE).read_text(encoding="utf-8")
    exec_line = "Exec=" + " ".join(exec_argument(a) for a in command) + " %f"
    lines = []
    for line in shipped.splitlines():
        if line.startswith("Exec="):
            lines.append(exec_line)
            if len(command) == 1:  # the menu hides the entry once that program is gone
                lines.append("TryExec=" + exec_argument(command[0]))
        elif not line.startswith("TryExec="):
            lines.append(line)
    return "\n".join(lines) + "\n"


def _refresh_menu_cache(applications: Path) -> None:
    """Let the desktop read the MIME types now (it would at the next login); absent or failing, the
    tool is not needed."""
    tool = shutil.which("update-desktop-database")
    if tool:
        try:
            subprocess.run([tool, "-q", str(applications)], timeout=TOOL_TIMEOUT_S, check=False, capture_output=True)
        except (OSError, subprocess.TimeoutExpired):
            pass


def install() -> list[Path]:
    written = []
    entry = entry_path()
    atomic_write(entry, desktop_entry(launcher()), mode=0o644)
    written.append(entry)
    icons = resource_files() / "icons"
    for shipped, target in icon_paths().items():
        atomic_write(target, (icons / shipped).read_bytes(), mode=0o644)
        written.append(target)
    _refresh_menu_cache(entry.parent)
    return written


def uninstall() -> list[Path]:
    removed = []
    for path in (entry_path(), *icon_paths().values()):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    _refresh_menu_cache(entry_path().parent)
    return removed


def run(args: argparse.Namespace) -> int:
    if sys.platform.startswith(("win", "darwin")):
        print(f"composer: 'desktop' puts Composer in the menu of Linux desktops (freedesktop.org); this is {sys.platform}", file=sys.stderr)
        return 1
    try:
        if args.action == "install":
            written = install()
            print(f"Composer is in the desktop's menu: {written[0]}")
            print(f"It runs: {' '.join(launcher())}")
            print(f"Icons: {len(written) - 1} in {data_home() / 'icons' / 'hicolor'}")
            return 0
        removed = uninstall()
    except OSError as exc:
        print(f"composer: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not removed:
        print(f"Composer was not in the desktop's menu (no {entry_path()}).")
        return 0
    print(f"Removed from the desktop's menu: {len(removed)} file(s):")
    for path in removed:
        print(f"  {path}")
    return 0
