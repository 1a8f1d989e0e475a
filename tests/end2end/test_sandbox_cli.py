"""`composer sandbox` as QA starts it: a real process, its JSON first line, a publish to it."""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests

from composer.core.call.model import PublishCall, UserAction
from composer.core.wire.client import Credentials, GigyaClient


@contextmanager
def sandbox_process(*options: str) -> Iterator[subprocess.Popen]:
    """``composer sandbox`` running with ``options``; stopped (SIGTERM) at the end, when its
    stderr can be read."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "composer", "sandbox", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0


def announcement(proc: subprocess.Popen) -> str:
    """What ``composer sandbox`` prints on stdout until it says how to stop it."""
    lines = []
    while not lines or lines[-1] != "Press Ctrl+C to stop.\n":
        line = proc.stdout.readline()
        assert line, "the sandbox stopped before it announced itself"
        lines.append(line)
    return "".join(lines)


def stderr_after_stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    proc.wait(10)
    return proc.stderr.read()


def test_sandbox_command_serves_and_reports(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "composer", "sandbox", "--json", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        for key in ("url", "apiKey", "userKey", "secret", "users"):
            assert key in info
        assert info["url"].startswith("http://127.0.0.1:")
        uids = {u["UID"]: u["providers"] for u in info["users"]}
        assert set(uids["demo-all-ok"]) == {"facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"}
        client = GigyaClient(Credentials(info["apiKey"], info["secret"], info["userKey"]), info["url"], timeout=10)
        try:
            result = client.publish(PublishCall(UID="demo-partial", userAction=UserAction(title="cli sandbox", linkBack="https://example.com/")))
        finally:
            client.close()
        assert result.outcome.value == "partial"
        assert result.failed_providers() == ["twitter"]
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
    assert proc.returncode == 0
    assert stderr == ""  # loopback: nothing to warn about


def test_sandbox_command_bad_scenario(tmp_path):
    bad = tmp_path / "scenario.json"
    bad.write_text('{"users": [{"UID": "x", "providers": {"twitter": "explode"}}]}')
    out = subprocess.run([sys.executable, "-m", "composer", "sandbox", "--scenario", str(bad)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "scenario" in out.stderr and "Traceback" not in out.stderr


def test_every_interface_is_announced_as_such_with_a_warning():
    """--host 0.0.0.0: the real address, a URL for this machine and one for the others (not the
    loopback URL as if that were all), and a warning that /sandbox/info gives the secret away."""
    with sandbox_process("--host", "0.0.0.0") as proc:
        printed = announcement(proc)
        port = re.search(r"^Gigya sandbox listening on every IPv4 interface \(0\.0\.0\.0\), port (\d+) ", printed, re.MULTILINE)
        assert port, printed
        here = re.search(r"^  From this machine: +(\S+)$", printed, re.MULTILINE)
        elsewhere = re.search(r"^  From other machines: +(\S+)", printed, re.MULTILINE)
        assert here and here.group(1) == f"http://127.0.0.1:{port.group(1)}"
        assert elsewhere and elsewhere.group(1).endswith(f":{port.group(1)}")
        other_host = urlsplit(elsewhere.group(1)).hostname or ""
        if other_host[:1].isdigit():  # an address, not the placeholder of a machine with no route out
            assert not ipaddress.ip_address(other_host).is_loopback
        with requests.get(here.group(1) + "/sandbox/info", timeout=10) as info:  # loopback only
            assert info.json()["apiKey"] == "3_sandbox"
        warning = stderr_after_stop(proc)
    assert "WARNING" in warning and "0.0.0.0" in warning and f"port {port.group(1)}" in warning
    assert "/sandbox/info" in warning and "secret" in warning and "--host 127.0.0.1" in warning


def test_every_ipv6_interface_is_announced_as_such_with_a_warning():
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::", 0))
    except OSError:
        pytest.skip("this machine cannot listen on IPv6")
    with sandbox_process("--host", "::") as proc:
        printed = announcement(proc)
        port = re.search(r"^Gigya sandbox listening on every interface \(::\), port (\d+) ", printed, re.MULTILINE)
        assert port, printed
        assert f"  From this machine:   http://[::1]:{port.group(1)}\n" in printed
        warning = stderr_after_stop(proc)
    assert "WARNING: listening on ::," in warning and "/sandbox/info" in warning


def test_json_output_stays_one_line_and_the_warning_goes_to_stderr():
    with sandbox_process("--host", "0.0.0.0", "--json") as proc:
        info = json.loads(proc.stdout.readline())
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", info["url"]) and info["secret"]
        warning = stderr_after_stop(proc)
    assert "WARNING" in warning and "/sandbox/info" in warning
    assert "{" not in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_host_gets_no_warning(host):
    with sandbox_process("--host", host) as proc:
        printed = announcement(proc)
        assert re.search(rf"^Gigya sandbox listening on http://{re.escape(host)}:\d+ ", printed, re.MULTILINE), printed
        assert "other machines" not in printed
        assert stderr_after_stop(proc) == ""
