"""Bad input on the command line, as a tired user types it: one clear line, the documented exit code; the
one-time note when the files moved to where the OS keeps them; and standard output that cannot be
written (a reader that left, a closed descriptor, a full disk), which stops only the output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from platformdirs.macos import MacOS

from composer.cli import main
from composer.core.storage import files
from composer.core.storage.history import History
from tests.helpers.environment import require

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


# --- standard output that cannot be written: the command carries on and its exit code stays its own ---


def composer(cwd: Path, *args: str, stdout, wrap: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """``composer ARGS`` in a process of its own (the test's folders, the built-in sandbox, no
    keyring), its standard output ``stdout``; ``wrap`` runs it through a shell command first."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([*wrap, sys.executable, "-m", "composer", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=env, cwd=cwd, timeout=120)


def a_pipe_nobody_reads() -> int:
    """The write end of a pipe whose reader has gone, as when ``| head -c1`` has read its byte."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def full_device(tmp_path: Path) -> Path:
    """A node of the kind of /dev/full, made in ``tmp_path``: every write to it fails with ENOSPC."""
    path = tmp_path / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        require(False, "making a device node needs root")
    return path


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_a_plan_whose_reader_left_runs_every_case_writes_its_report_and_exits_1(tmp_path):
    plan = write_json(tmp_path / "plan.json", {"name": "reader left", "cases": [
        {"name": "first fails", "draft": {"userAction": {"title": "x1"}}, "UID": "demo-all-ok", "expect": {"outcome": "partial"}},
        {"name": "second", "draft": {"userAction": {"title": "x2"}}, "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
        {"name": "third", "draft": {"userAction": {"title": "x3"}}, "UID": "demo-partial", "expect": {"outcome": "partial"}},
    ]})
    out = a_pipe_nobody_reads()
    try:
        done = composer(tmp_path, "run", str(plan), "--junit", "report.xml", stdout=out)
    finally:
        os.close(out)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "cannot write output" not in done.stderr  # "| head" is no error
    report = (tmp_path / "report.xml").read_text("utf-8")
    assert report.count("<testcase ") == 3 and report.count("<failure ") == 1
    with History() as history:
        assert sorted(row.case for row in history.rows(text="reader left")) == ["first fails", "second", "third"]


def test_a_preview_with_errors_exits_1_even_when_its_reader_left(tmp_path):
    draft = write_json(tmp_path / "bad.json", {"userAction": {"title": "t", "linkBack": "example.com/no-scheme"}})
    out = a_pipe_nobody_reads()
    try:
        done = composer(tmp_path, "preview", str(draft), stdout=out)
    finally:
        os.close(out)
    assert (done.returncode, done.stderr) == (1, "")


def test_a_publish_with_standard_output_closed_keeps_its_partial_outcome(tmp_path):
    draft = write_json(tmp_path / "partial.json", {"UID": "demo-partial", "userAction": {"title": "closed stdout check"}})
    done = composer(tmp_path, "publish", str(draft), stdout=None, wrap=("sh", "-c", 'exec "$@" >&-', "sh"))
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines()[-1] == "composer: cannot write output: standard output is closed"
    assert "Traceback" not in done.stderr
    with History() as history:
        assert [row.outcome for row in history.rows(text="closed stdout check")] == ["partial"]


FULL_DISK_CASES = [
    (["preview", "ok.json"], 1),  # its own 0: the output that was lost makes it a failure
    (["preview", "ok.json", "--json"], 1),
    (["history", "--json"], 1),
    (["history", "--export", "csv"], 1),
    (["history", "--show", "1"], 1),
    (["profile", "list"], 1),
    (["publish", "ok.json", "--curl"], 1),
    (["publish", "ok.json", "--explain-signature"], 1),
    (["run", "plan.json", "--json"], 1),
    (["publish", "ok.json"], 0),  # posted stays posted: 1 would say nothing was, inviting a repost
    (["publish", "partial.json"], 3),  # partly published stays partly published
    (["publish", "unknown.json"], 4),  # an unknown outcome stays unknown
]


@pytest.mark.parametrize(("args", "code"), FULL_DISK_CASES, ids=[" ".join(args) for args, _ in FULL_DISK_CASES])
def test_a_full_disk_is_one_line_and_never_hides_the_outcome(tmp_path, capsys, args, code):
    # a title of its own: the in-process built-in sandbox has seen the other tests' shares
    write_json(tmp_path / "ok.json", {"UID": "demo-all-ok", "userAction": {"title": f"full disk check {tmp_path.name}"}})
    write_json(tmp_path / "partial.json", {"UID": "demo-partial", "userAction": {"title": "full disk check"}})
    write_json(tmp_path / "unknown.json", {"UID": "demo-server-error", "userAction": {"title": "full disk check"}})
    write_json(tmp_path / "plan.json", {"cases": [{"name": "ok", "draft": {"userAction": {"title": "t"}}, "UID": "demo-all-ok",
                                                   "expect": {"outcome": "posted"}}]})
    assert main(["publish", str(tmp_path / "ok.json")]) == 0  # history entry 1
    capsys.readouterr()
    with full_device(tmp_path).open("w") as out:
        done = composer(tmp_path, *args, stdout=out)
    assert done.returncode == code, done.stderr
    assert done.stderr.splitlines()[-1] == "composer: cannot write output: No space left on device"
    assert "Traceback" not in done.stderr
