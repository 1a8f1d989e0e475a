"""Bad input on the command line, as a tired user types it: one clear line, the documented exit code; and the
one-time note when the files moved to where the OS keeps them."""

from __future__ import annotations

import pytest
from platformdirs.macos import MacOS

from composer.cli import main
from composer.core.storage import files

REPO_DRAFT = "resources/drafts/product-launch.json"


@pytest.mark.parametrize("value", ["nan", "inf", "1e10", "0", "-1", "soon"])
def test_publish_timeout_must_be_sane(capsys, value):
    assert main(["publish", REPO_DRAFT, f"--timeout={value}"]) == 2
    err = capsys.readouterr().err
    assert "--timeout" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["publish", "run"])
def test_a_zero_timeout_is_refused_saying_it_must_be_more_than_0(capsys, tmp_path, command):
    assert main([command, str(tmp_path / "never read.json"), "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert "argument --timeout: '0' is out of range: the seconds must be more than 0 and at most 86400" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["sandbox", "--port", "99999"],
        ["sandbox", "--port", "-1"],
        ["history", "--limit", "99999999999999999999"],
        ["history", "--show", "99999999999999999999"],
        ["publish", "--retry-failed", "99999999999999999999"],
        ["profile", "test", "x", "--timeout", "nan"],
    ],
)
def test_out_of_range_numbers_are_usage_errors(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("range" in err or "port" in err or "seconds" in err)


def test_mistyped_subcommand_suggests_the_right_one(capsys):
    assert main(["publsh", REPO_DRAFT]) == 2
    assert "unknown command 'publsh' (did you mean publish?)" in capsys.readouterr().err


def test_user_key_alone_is_not_silently_ignored(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GIGYA_USER_KEY", "u")
    assert main(["publish", REPO_DRAFT]) == 2
    assert "GIGYA_USER_KEY is set but GIGYA_API_KEY and GIGYA_SECRET are not" in capsys.readouterr().err


def test_refused_connection_says_why_in_the_headline(capsys, monkeypatch):
    monkeypatch.setenv("GIGYA_API_KEY", "3_sandbox")
    monkeypatch.setenv("GIGYA_SECRET", "c2VjcmV0")
    assert main(["publish", REPO_DRAFT, "--base-url", "http://127.0.0.1:1"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Not published: could not connect to 127.0.0.1:1")


def test_filtered_history_that_matches_nothing(capsys):
    assert main(["history", "--provider", "myspace"]) == 0
    assert "No entries match these filters." in capsys.readouterr().out


def test_a_command_says_once_that_the_files_moved(capsys, isolated_home, monkeypatch):
    """On an OS whose folders are not the old ~/.config ones, the first command moves them and says so."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var)
    monkeypatch.setattr(files, "platform_dirs", MacOS)
    old = isolated_home / ".config/composer/composer.ini"
    old.parent.mkdir(parents=True)
    old.write_text("[General]\nprofile=Sandbox\n")
    assert main(["profile", "list"]) == 0
    new = isolated_home / "Library/Application Support/composer"
    assert f"composer: Your files moved from {old.parent} to {new}, where this system keeps them." in capsys.readouterr().err
    assert (new / "composer.ini").read_text() == "[General]\nprofile=Sandbox\n"
    assert main(["profile", "list"]) == 0
    assert "moved" not in capsys.readouterr().err
