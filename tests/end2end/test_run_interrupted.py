"""``composer run`` stopped with Ctrl+C, as QA stops it: a real process, a real SIGINT while a
case is in flight at the real sandbox.  The case already sent finishes, is printed, counted, written
to the JUnit report and recorded in the history; no new case starts; the exit code is 130.  A
second Ctrl+C while it waits changes none of that: the case may have posted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from xml.etree import ElementTree

import pytest

from composer.core.storage.history import History

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="needs POSIX signals")

#: our choice: far more than the start of a composer process and one request to a loopback sandbox
DEADLINE_S = 60


@pytest.mark.parametrize("presses", [1, 2], ids=["ctrl-c", "ctrl-c-twice"])
def test_ctrl_c_lets_the_case_in_flight_finish_and_records_it(sandbox, tmp_path, presses):
    share = {"userAction": {"title": f"interrupted {tmp_path.name}", "linkBack": "https://example.com/run"}}
    cases = [
        # demo-slow's Twitter answers after 2 s: the case is in flight when Ctrl+C comes
        {"name": "slow", "draft": share, "UID": "demo-slow", "expect": {"outcome": "posted"}},
        {"name": "never started", "draft": share, "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
    ]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"name": "interrupted", "cases": cases}), "utf-8")
    report = tmp_path / "junit.xml"
    info = sandbox.info()
    env = {**os.environ, "GIGYA_API_KEY": info["apiKey"], "GIGYA_USER_KEY": info["userKey"], "GIGYA_SECRET": info["secret"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "composer", "run", str(plan), "--base-url", sandbox.url, "--junit", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + DEADLINE_S
        while sandbox.request_count == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # polls for the request to arrive; nothing here depends on how long it takes
        assert sandbox.request_count == 1, "the slow case never reached the sandbox"
        said = []
        for _ in range(presses):
            proc.send_signal(signal.SIGINT)
            while (line := proc.stderr.readline()) and not line.startswith("composer: interrupted"):
                said.append(line)
            said.append(line)  # the next press comes once this one is answered
        out, err = proc.communicate(timeout=DEADLINE_S)
        err = "".join(said) + err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    assert proc.returncode == 130, err
    assert "Traceback" not in err
    waiting = "composer: interrupted: no new case starts; waiting for the 1 case(s) already sent to finish and be recorded"
    assert err.count(waiting) == presses, err
    assert "PASS  slow (posted" in out
    assert "1 case(s): 1 passed, 0 failed, 0 error(s)" in out and "(interrupted: the cases not started did not run)" in out
    assert sandbox.request_count == 1  # "never started" was not sent
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert [case.get("name") for case in suite.findall("testcase")] == ["slow"]
    with History() as history:
        assert [(row.case, row.outcome) for row in history.rows()] == [("slow", "posted")]
