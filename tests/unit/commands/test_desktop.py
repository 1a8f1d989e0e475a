"""'composer desktop install|uninstall': the menu entry and the icons in the user's XDG folders,
an entry that runs this composer and opens draft files, and an uninstall that removes exactly that."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys

from composer import __version__
from composer.cli import main
from composer.commands import desktop
from tests.helpers.environment import REPO


def _entry(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_install_puts_composer_in_the_menu_and_uninstall_takes_it_out(isolated_home, capsys):
    data_home = isolated_home / ".local/share"
    assert main(["desktop", "install"]) == 0
    out = capsys.readouterr().out
    entry_file = data_home / "applications/composer.desktop"
    assert f"Composer is in the desktop's menu: {entry_file}" in out

    entry = _entry(entry_file)
    assert entry["Type"] == "Application" and entry["Name"] == "Composer" and entry["Icon"] == "composer"
    assert entry["MimeType"] == "application/json;"  # "Open with" for draft files
    command = shlex.split(entry["Exec"])
    assert command[-1] == "%f" and command[:-1] == desktop.launcher()
    # the entry's command is this composer: run it as the menu would, with an argument for %f
    done = subprocess.run([*command[:-1], "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == f"composer {__version__}", done.stderr
    for size in (16, 32, 48, 64, 128, 256):
        icon = data_home / f"icons/hicolor/{size}x{size}/apps/composer.png"
        assert icon.read_bytes() == (REPO / f"resources/icons/composer-{size}.png").read_bytes()
    assert (data_home / "icons/hicolor/scalable/apps/composer.svg").read_bytes() == (REPO / "resources/icons/composer.svg").read_bytes()

    # installing again replaces, never duplicates
    assert main(["desktop", "install"]) == 0
    installed = sorted(p for p in data_home.rglob("*") if p.is_file() and p.name != "mimeinfo.cache")
    assert len(installed) == 8

    capsys.readouterr()
    assert main(["desktop", "uninstall"]) == 0
    assert "8 file(s)" in capsys.readouterr().out
    assert not [p for p in data_home.rglob("*") if p.is_file() and p.name != "mimeinfo.cache"]
    assert main(["desktop", "uninstall"]) == 0
    assert "was not in the desktop's menu" in capsys.readouterr().out


def test_install_follows_xdg_data_home(isolated_home, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    assert main(["desktop", "install"]) == 0
    assert (tmp_path / "elsewhere/applications/composer.desktop").exists()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    assert desktop.data_home() == isolated_home / ".local/share"


def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says():
    assert desktop.exec_argument("/opt/composer/composer") == "/opt/composer/composer"
    assert desktop.exec_argument("/home/me/My Apps/composer") == '"/home/me/My Apps/composer"'
    assert desktop.exec_argument('/a "b"/$c') == '"/a \\\\"b\\\\"/\\\\$c"'
    assert desktop.exec_argument("/100%/composer") == "/100%%/composer"
    entry = desktop.desktop_entry([sys.executable, "-m", "composer"])
    assert "TryExec" not in entry and entry.count("Exec=") == 1


def test_a_write_that_fails_is_one_line_and_exit_1(isolated_home, capsys):
    (isolated_home / ".local/share").mkdir(parents=True)
    (isolated_home / ".local/share/applications").write_text("a file where the folder should be")
    assert main(["desktop", "install"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("composer: ") and "Traceback" not in err and len(err.splitlines()) == 1
