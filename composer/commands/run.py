"""Run a test plan: publish each case (up to --jobs at once) and compare what happened with what
the case expects.  Credentials and endpoint as for 'composer publish' (the built-in sandbox by
default).  Prints one line per case as it finishes, then a summary; --junit writes a JUnit XML
report, --json prints one object with every case's result.  Every publish is recorded in the
history, tagged with the plan and the case.

Ctrl+C starts no new case: the cases already sent finish and are recorded, and the summary and
the reports say the run was interrupted (exit 130).

Exit codes: 0 every case passed; 1 a case failed or could not run; 2 a bad plan or bad usage;
130 interrupted."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from composer.commands import EXIT_INTERRUPTED, count, seconds
from composer.core.accounts.profiles import ProfileError
from composer.core.accounts.resolve import resolve
from composer.core.contract import DATA_CENTERS
from composer.core.plans.junit import write_junit
from composer.core.plans.plan import PlanError, case_runs, count_runs, load_plan
from composer.core.plans.runner import ERROR, FAILED, CaseResult, PlanRunner, reset_sandbox
from composer.core.publishing import make_client, terminal_safe
from composer.core.storage.files import RefusedWrite, check_replaceable
from composer.core.wire.endpoint import DEFAULT_TIMEOUT

#: our choice: more jobs than this only queue up behind one another in a desktop tool's sandbox
MAX_JOBS = 64


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help="the test plan file (JSON)")
    parser.add_argument("--profile", metavar="NAME", help="credential profile (see 'composer profile list')")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-center", metavar="DC", help=f"e.g. {', '.join(DATA_CENTERS[:4])}")
    where.add_argument("--base-url", metavar="URL", help="a custom endpoint (staging, a sandbox); http only on loopback")
    parser.add_argument("--jobs", type=count, default=1, metavar="N", help=f"run up to N cases at once (1 to {MAX_JOBS}; default 1)")
    parser.add_argument("--filter", default="", metavar="TEXT", help="run only the cases whose name contains TEXT (any case)")
    parser.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object with every case's result")
    parser.add_argument("--reset-sandbox", action="store_true", help="clear the sandbox's posts before each case (the cases then run one at a time)")
    parser.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="S",
        help=f"seconds each request may take (default {DEFAULT_TIMEOUT:g})",
    )


def _fail(message: str, code: int = 2) -> int:
    print(f"composer: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.jobs <= MAX_JOBS:
        return _fail(f"--jobs must be from 1 to {MAX_JOBS}")
    if args.junit:
        # a report that could not be written is refused before any case is sent
        try:
            check_replaceable(args.junit)
        except RefusedWrite as exc:
            return _fail(f"--junit {args.junit}: {exc}; give --junit another name")
        except OSError:  # a device, a named pipe or a folder is never a report
            return _fail(f"--junit {args.junit}: {args.junit} is not a regular file")
        problem = _folder_problem(args.junit)
        if problem:
            return _fail(f"--junit {args.junit}: {problem}; give --junit another name")
    try:
        plan = load_plan(args.plan)
        total = count_runs(plan, args.filter)
    except PlanError as exc:
        return _fail(str(exc))
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not total:
        if plan.cases and plan.data and not args.filter:
            return _fail(f"{args.plan}: its data file {plan.data} has no rows, and every case runs once per row: nothing to run")
        return _fail(f"no case of {args.plan} matches --filter {args.filter!r}" if args.filter else f"{args.plan} has no case to run")
    try:
        resolved = resolve(args.profile, data_center=args.data_center, base_url=args.base_url)
    except ProfileError as exc:
        return _fail(str(exc), exc.exit_code)
    for note in resolved.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.reset_sandbox:
        client = make_client(resolved, timeout=args.timeout)
        problem = reset_sandbox(client, args.timeout)
        client.close()
        if problem:
            return _fail(f"--reset-sandbox: {problem}")

    def show(result: CaseResult) -> None:
        if not args.json:
            print(_line(result), flush=True)

    def interrupted(in_flight: int) -> None:
        waiting = (
            f"; waiting for the {in_flight} case(s) already sent to finish and be recorded (each within its {args.timeout:g} s timeout)"
            if in_flight
            else ""
        )
        print(f"composer: interrupted: no new case starts{waiting}", file=sys.stderr, flush=True)

    runner = PlanRunner(plan.name, jobs=args.jobs, timeout=args.timeout, reset_sandbox=args.reset_sandbox, on_interrupt=interrupted)
    summary = runner.run(resolved, case_runs(plan, args.filter), show)
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary.line)
    if args.junit:
        try:
            write_junit(summary, args.junit)
        except OSError as exc:
            return _fail(f"cannot write the JUnit report {args.junit}: {exc.strerror or exc}", 1)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return 0 if summary.ok else 1


def _folder_problem(path: str) -> str:
    """Why the folder of ``path`` cannot take a new file ("" when it can), so that a report that
    could not be written is refused before the cases are sent rather than after.  The first folder
    on the way that exists decides (the write makes the missing ones); ``os.access`` also says
    no for a read-only file system."""
    folder = Path(os.path.realpath(path)).parent  # a link is written through, into its target's folder
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} cannot be written to"
    return ""


def _line(result: CaseResult) -> str:
    """One line per case; the server's words are shown with control characters escaped."""
    if result.verdict == ERROR:
        text = f"ERROR {result.name}: {result.error}"
    elif result.verdict == FAILED:
        text = f"FAIL  {result.name}: expected {result.expected}; got {result.got}"
    else:
        text = f"PASS  {result.name} ({result.got})"
    return terminal_safe(text)
