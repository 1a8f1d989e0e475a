"""The runner against the built-in sandbox: a case that cannot run is an error (in the JUnit report
too), and stopping lets the cases in flight finish while no new one starts."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from composer.core.accounts.resolve import resolve
from composer.core.plans.junit import junit_xml
from composer.core.plans.plan import case_runs, load_plan
from composer.core.plans.runner import ERROR, PASSED, PlanRunner


def test_a_case_whose_draft_went_missing_is_an_error_not_a_failure(tmp_path):
    (tmp_path / "gone.json").write_text(json.dumps({"userAction": {"title": "soon gone"}}), "utf-8")
    cases = [
        {"name": "draft file", "draft": "gone.json", "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
        {"name": "inline \x1b[31m", "draft": {"userAction": {"title": f"runner {tmp_path.name}"}}, "UID": "demo-all-ok",
         "expect": {"outcome": "posted"}},
    ]
    (tmp_path / "plan.json").write_text(json.dumps({"name": "runner", "cases": cases}), "utf-8")
    plan = load_plan(tmp_path / "plan.json")
    (tmp_path / "gone.json").unlink()
    seen = []
    summary = PlanRunner(plan.name, jobs=2).run(resolve(None), case_runs(plan), seen.append)
    verdicts = {r.name: r.verdict for r in seen}
    assert verdicts == {"draft file": ERROR, "inline \x1b[31m": PASSED}
    assert "gone.json does not exist" in next(r.error for r in seen if r.verdict == ERROR)
    suite = ElementTree.fromstring(junit_xml(summary).encode()).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "1")
    assert "does not exist" in suite.find("testcase[@name='draft file']/error").get("message")
    assert suite.find("testcase[@name='inline \ufffd[31m']") is not None  # XML cannot hold ESC


def test_a_stopped_run_starts_no_new_case(tmp_path):
    cases = [{"name": f"case {n}", "draft": {"userAction": {"title": f"stop {n} {tmp_path.name}"}}, "UID": "demo-all-ok",
              "expect": {"outcome": "posted"}} for n in range(20)]
    (tmp_path / "plan.json").write_text(json.dumps({"name": "stop", "cases": cases}), "utf-8")
    plan = load_plan(tmp_path / "plan.json")
    runner = PlanRunner(plan.name, jobs=1)
    summary = runner.run(resolve(None), case_runs(plan), lambda result: runner.stop())
    assert len(summary.results) == 1 and summary.stopped
    assert summary.line.endswith("(stopped)")
