"""``composer run PLAN``: the sample plans against the built-in sandbox, failures shown as expected
against got, the JUnit and JSON reports, exit codes, and the history tagged with plan and case."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
from pathlib import Path
from xml.etree import ElementTree

import pytest

from composer.cli import main
from composer.core.storage.history import History
from tests.helpers.environment import REPO, require

PLANS = sorted((REPO / "resources" / "plans").glob("*.json"))


def write_plan(folder: Path, cases: list[dict], **top) -> Path:
    path = folder / "plan.json"
    path.write_text(json.dumps({"name": "qa plan", "cases": cases, **top}), "utf-8")
    return path


def share(title: str) -> dict:
    return {"userAction": {"title": title, "linkBack": "https://example.com/run"}}


@pytest.mark.parametrize("plan", PLANS, ids=[p.name for p in PLANS])
def test_the_sample_plans_pass_against_the_builtin_sandbox(plan, tmp_path, capsys):
    report = tmp_path / "report.xml"
    assert main(["run", str(plan), "--jobs", "4", "--reset-sandbox", "--junit", str(report)]) == 0
    out = capsys.readouterr().out
    assert "0 failed, 0 error(s)" in out
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    assert int(suite.get("tests")) == len(suite.findall("testcase")) == out.count("PASS  ")


def test_the_sample_plans_exercise_every_sandbox_demo_user():
    scenario = json.loads((REPO / "resources" / "sandbox-scenario.json").read_text("utf-8"))
    used = {case.get("UID") for plan in PLANS for case in json.loads(plan.read_text("utf-8"))["cases"]}
    assert {user["UID"] for user in scenario["users"]} <= used


def test_a_failing_case_shows_expected_against_got_and_exits_1(tmp_path, capsys):
    plan = write_plan(tmp_path, [
        {"name": "thinks twitter posts", "draft": share(f"fail {tmp_path.name}"), "UID": "demo-partial",
         "expect": {"outcome": "posted", "providers": {"twitter": {"status": "posted"}}}},
        {"name": "refused as expected", "draft": {"userAction": {}}, "UID": "demo-all-ok", "expect": {"refused": True}},
    ], owner="qa")
    report = tmp_path / "junit.xml"
    assert main(["run", str(plan), "--junit", str(report)]) == 1
    out, err = capsys.readouterr()
    assert f"warning: {plan}: unknown key 'owner' (kept, not used)" in err
    assert "FAIL  thinks twitter posts: expected posted, twitter posted; got partial, twitter failed 403048, facebook posted, linkedin posted" in out
    assert "PASS  refused as expected" in out
    assert "2 case(s): 1 passed, 1 failed, 0 error(s)" in out
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    assert float(suite.get("time")) >= max(float(case.get("time")) for case in suite.iter("testcase")) > 0
    assert suite.find("testcase[@name='refused as expected']/*") is None  # a pass carries no failure nor error
    failure = suite.find("testcase[@name='thinks twitter posts']/failure")
    assert failure.get("message").startswith("expected posted, twitter posted, got partial, twitter failed 403048")
    assert "outcome: expected posted, got partial" in failure.text


def test_json_filter_and_the_history_tagged_with_plan_and_case(tmp_path, capsys):
    plan = write_plan(tmp_path, [
        {"name": "all post", "draft": share(f"json {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
        {"name": "expired", "draft": share(f"json {tmp_path.name}"), "UID": "demo-expired", "expect": {"outcome": "failed"}},
    ])
    assert main(["run", str(plan), "--json", "--filter", "ALL"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["plan"], report["tests"], report["passed"]) == ("qa plan", 1, 1)
    case = report["cases"][0]
    assert (case["name"], case["verdict"], case["result"]["outcome"]) == ("all post", "passed", "posted")
    with History() as history:
        entry = history.get(case["historyId"])
    assert (entry.row.plan, entry.row.case) == ("qa plan", "all post")
    assert entry.draft["userAction"]["title"] == f"json {tmp_path.name}"
    assert main(["history", "--json", "--text", "qa plan"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["plan"], row["case"]) for row in listed] == [("qa plan", "all post")]


def test_the_history_names_each_case_s_draft_file(tmp_path, capsys):
    (tmp_path / "launch.json").write_text(json.dumps(share(f"named {tmp_path.name}")), "utf-8")
    plan = write_plan(tmp_path, [
        {"name": "from a file", "draft": "launch.json", "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
        {"name": "inline", "draft": share(f"inline {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
    ])
    assert main(["run", str(plan)]) == 0
    capsys.readouterr()
    with History() as history:
        assert sorted((row.case, row.draft_name) for row in history.rows()) == [("from a file", "launch.json"), ("inline", "")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "nothing like it"], "no case of"),
        (["--jobs", "0"], "--jobs must be from 1 to 64"),
        (["--base-url", "http://127.0.0.1:9"], "--base-url needs credentials"),
    ],
)
def test_bad_usage_exits_2(tmp_path, capsys, args, message):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share("a"), "expect": {"outcome": "posted"}}])
    assert main(["run", str(plan), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_data_file_without_rows_is_named_as_the_reason_nothing_runs(tmp_path, capsys):
    (tmp_path / "rows.csv").write_text("product\n", "utf-8")
    plan = write_plan(tmp_path, [{"name": "a", "draft": share("{{product}}"), "expect": {"outcome": "posted"}}], data="rows.csv")
    assert main(["run", str(plan)]) == 2
    assert capsys.readouterr().err == f"composer: {plan}: its data file rows.csv has no rows, and every case runs once per row: nothing to run\n"


def test_a_malformed_plan_exits_2_naming_case_and_key(tmp_path, capsys):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share("a"), "expect": {"outcome": "posted", "providers": {"twitter": {"status": "sent"}}}}])
    assert main(["run", str(plan)]) == 2
    err = capsys.readouterr().err
    assert "case 1 ('a'): expect.providers.twitter.status must be one of posted, failed, not_attempted, unknown" in err
    assert "Traceback" not in err


def test_reset_sandbox_refuses_an_endpoint_that_is_not_a_sandbox(tmp_path, capsys, monkeypatch):
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from threading import Thread

    class NotASandbox(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), NotASandbox)
    Thread(target=server.serve_forever, daemon=True).start()
    for var, value in (("GIGYA_API_KEY", "3_x"), ("GIGYA_USER_KEY", "u"), ("GIGYA_SECRET", "c2VjcmV0")):
        monkeypatch.setenv(var, value)
    plan = write_plan(tmp_path, [{"name": "a", "draft": share("a"), "expect": {"outcome": "posted"}}])
    try:
        assert main(["run", str(plan), "--base-url", f"http://127.0.0.1:{server.server_port}", "--reset-sandbox"]) == 2
    finally:
        server.shutdown()
        server.server_close()
    assert "answered HTTP 404 (is this endpoint a sandbox?)" in capsys.readouterr().err


def test_a_case_whose_request_never_left_is_an_error_even_when_it_expects_failed(tmp_path, capsys, monkeypatch):
    with socket.socket() as closed:  # a loopback port nobody listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    for var, value in (("GIGYA_API_KEY", "3_x"), ("GIGYA_USER_KEY", "u"), ("GIGYA_SECRET", "c2VjcmV0")):
        monkeypatch.setenv(var, value)
    plan = write_plan(tmp_path, [{"name": "no connections", "draft": share("a"), "UID": "demo-no-connections",
                                  "expect": {"outcome": "failed"}}])
    report = tmp_path / "junit.xml"
    assert main(["run", str(plan), "--base-url", f"http://127.0.0.1:{port}", "--junit", str(report)]) == 1
    out = capsys.readouterr().out
    assert "ERROR no connections: could not connect to 127.0.0.1" in out
    assert "0 passed, 0 failed, 1 error(s)" in out
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    assert "connection refused" in suite.find("testcase[@name='no connections']/error").get("message")


def test_a_read_only_junit_report_is_not_replaced(tmp_path, capsys):
    # decided by the file's mode bits, so it holds under root (CI), whom permission bits do not stop
    plan = write_plan(tmp_path, [{"name": "posts", "draft": share(f"ro {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    report = tmp_path / "junit.xml"
    report.write_text("last week's report")
    report.chmod(0o444)
    assert main(["run", str(plan), "--junit", str(report)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"composer: --junit {report}: {report} is read-only; give --junit another name"
    assert out == ""  # refused before any case was sent
    assert report.read_text() == "last week's report"
    with History() as history:
        assert history.rows(text=f"ro {tmp_path.name}") == []


def test_reset_sandbox_keeps_one_cases_posts_from_making_the_next_a_duplicate(tmp_path, capsys):
    same = share(f"twice {tmp_path.name}")
    plan = write_plan(tmp_path, [
        {"name": "first", "draft": same, "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
        {"name": "again", "draft": same, "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
    ])
    assert main(["run", str(plan), "--reset-sandbox"]) == 0
    assert "2 case(s): 2 passed" in capsys.readouterr().out
    assert main(["run", str(plan)]) == 1  # without it, twitter sees the status a second (and third) time
    assert "twitter failed 403024" in capsys.readouterr().out


def test_reset_sandbox_with_several_jobs_runs_the_cases_one_at_a_time(tmp_path, capsys):
    """The sandbox remembers every job's posts in one place: a reset before each case isolates the
    cases only when no other case is posting meanwhile, so they run one at a time, and it says so."""
    same = share(f"jobs {tmp_path.name}")
    plan = write_plan(tmp_path, [
        {"name": f"same share {n}", "draft": same, "UID": "demo-all-ok", "expect": {"outcome": "posted"}} for n in range(8)
    ])
    assert main(["run", str(plan), "--jobs", "4", "--reset-sandbox"]) == 0
    out, err = capsys.readouterr()
    assert "8 case(s): 8 passed" in out
    assert "the cases ran one at a time" in out + err


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    """A node of the kind of /dev/null, made here: the test never goes near the real one."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        require(False, "making a device node needs root")


def _link_to_a_device(path: Path) -> None:
    _device(path.with_name("node"))
    path.symlink_to("node")


@pytest.mark.parametrize("make", [_fifo, Path.mkdir, _device, _link_to_a_device], ids=["fifo", "folder", "device", "link to a device"])
def test_a_junit_target_that_is_not_a_regular_file_is_refused_before_any_case_runs(tmp_path, capsys, make):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"junit {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    target = tmp_path / "report.xml"
    make(target)
    kind = stat.S_IFMT(os.lstat(target).st_mode)
    assert main(["run", str(plan), "--junit", str(target)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"composer: --junit {target}: {target} is not a regular file"
    assert out == ""
    assert stat.S_IFMT(os.lstat(target).st_mode) == kind  # left as it was
    with History() as history:
        assert history.rows(text=f"junit {tmp_path.name}") == []


def test_a_junit_report_under_a_file_is_refused_before_any_case_runs(tmp_path, capsys):
    """The report's folder would be a regular file: no case is sent only to find, at the end,
    that the report cannot be written."""
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"unwritable {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    (tmp_path / "not a folder").write_text("", "utf-8")
    target = tmp_path / "not a folder" / "deeper" / "report.xml"
    assert main(["run", str(plan), "--junit", str(target)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"composer: --junit {target}: {tmp_path / 'not a folder'} is a file, not a folder; give --junit another name"
    assert out == ""
    with History() as history:
        assert history.rows(text=f"unwritable {tmp_path.name}") == []


def test_a_junit_report_through_a_link_is_judged_by_the_folder_it_leads_to(tmp_path, capsys):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"linked {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    (tmp_path / "not a folder").write_text("", "utf-8")
    link = tmp_path / "report.xml"
    link.symlink_to(tmp_path / "not a folder" / "report.xml")
    assert main(["run", str(plan), "--junit", str(link)]) == 2
    _out, err = capsys.readouterr()
    assert "is a file, not a folder; give --junit another name" in err.splitlines()[-1]
    with History() as history:
        assert history.rows(text=f"linked {tmp_path.name}") == []


def test_a_junit_report_that_cannot_be_written_at_the_end_is_reported_with_exit_1(tmp_path, capsys, monkeypatch):
    """The disk filled up while the cases ran (a full disk is what cannot be made here)."""
    def full(summary, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("composer.commands.run.write_junit", full)
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"disk full {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    target = tmp_path / "report.xml"
    assert main(["run", str(plan), "--junit", str(target)]) == 1
    out, err = capsys.readouterr()
    assert "1 case(s): 1 passed" in out  # the cases ran; only the report is missing
    assert err.splitlines()[-1] == f"composer: cannot write the JUnit report {target}: No space left on device"


def test_a_junit_target_that_links_to_a_regular_file_is_accepted(tmp_path, capsys):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"link {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    (tmp_path / "target.txt").write_text("old", "utf-8")
    link = tmp_path / "link.xml"
    link.symlink_to("target.txt")
    assert main(["run", str(plan), "--junit", str(link)]) == 0
    assert ElementTree.parse(link).getroot().find("testsuite").get("tests") == "1"


def test_a_junit_target_that_links_to_a_missing_folder_is_refused_before_any_case_runs(tmp_path, capsys):
    plan = write_plan(tmp_path, [{"name": "a", "draft": share(f"nowhere {tmp_path.name}"), "UID": "demo-all-ok", "expect": {"outcome": "posted"}}])
    link = tmp_path / "report.xml"
    link.symlink_to(tmp_path / "gone" / "report.xml")
    assert main(["run", str(plan), "--junit", str(link)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"composer: --junit {link}: {tmp_path / 'gone'} (where {link} points) does not exist; give --junit another name"
    assert out == "" and not (tmp_path / "gone").exists()
    with History() as history:
        assert history.rows(text=f"nowhere {tmp_path.name}") == []
