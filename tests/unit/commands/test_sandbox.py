"""``composer sandbox``: a scenario file it cannot use is refused at start (exit 2, saying why),
never served half-broken, waited on for ever or read without end."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

import pytest

from composer.core.call.draft import MAX_DRAFT_BYTES
from composer.sandbox.scenario import CLOCK_SKEW_MAX_S

#: our choice: far more than a refusal takes, far less than a test runner waits
START_TIMEOUT_S = 30
#: our choice: the memory a refused start needs many times over, so reading /dev/zero without end
#: fails here instead of taking the machine's memory
MEMORY_CAP_BYTES = 1024 * 1024 * 1024


def scenario(**top: object) -> dict[str, object]:
    return {
        **top,
        "sites": [{"apiKey": "3_x", "approvedDomains": ["example.com"], "userKeys": [{"userKey": "k", "secret": "c2VjcmV0"}]}],
        "users": [{"UID": "u", "providers": {"facebook": "ok"}}],
    }


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))


def start_sandbox(scenario_path: str) -> subprocess.CompletedProcess[str]:
    """``composer sandbox --scenario PATH`` in a process of its own, as a user starts it."""
    return subprocess.run(
        [sys.executable, "-m", "composer", "sandbox", "--scenario", scenario_path, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        preexec_fn=_cap_memory,
    )


@pytest.mark.parametrize("skew", [1e12, -1e11, 1e300, CLOCK_SKEW_MAX_S + 1, -CLOCK_SKEW_MAX_S - 1])
def test_a_clock_skew_the_server_cannot_keep_is_refused_at_start(tmp_path, skew):
    file = tmp_path / "s-skew.json"
    file.write_text(json.dumps(scenario(clockSkewSeconds=skew)), encoding="utf-8")

    done = start_sandbox(str(file))

    assert done.returncode == 2
    assert "bad scenario file" in done.stderr and "clockSkewSeconds" in done.stderr
    assert f"between -{CLOCK_SKEW_MAX_S} and {CLOCK_SKEW_MAX_S} seconds" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_pipe_given_as_the_scenario_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "ff"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it to read would wait for ever

    done = start_sandbox(str(fifo))

    assert done.returncode == 2
    assert f"{fifo} is not a regular file" in done.stderr


def test_a_device_given_as_the_scenario_is_refused_not_read_without_end():
    done = start_sandbox("/dev/zero")

    assert done.returncode == 2
    assert "/dev/zero is not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_scenario_file_past_the_draft_limit_is_refused_unread(tmp_path):
    file = tmp_path / "huge.json"
    file.write_text(json.dumps(scenario(_padding="x" * MAX_DRAFT_BYTES)), encoding="utf-8")

    done = start_sandbox(str(file))

    assert done.returncode == 2
    assert f"a scenario file is at most {MAX_DRAFT_BYTES:,} bytes" in done.stderr
