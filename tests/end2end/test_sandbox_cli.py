"""`composer sandbox` as QA starts it: a real process, its JSON first line, a publish to it."""

from __future__ import annotations

import json
import subprocess
import sys

from composer.core.call.model import PublishCall, UserAction
from composer.core.wire.client import Credentials, GigyaClient


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
        proc.stderr.close()
    assert proc.returncode == 0


def test_sandbox_command_bad_scenario(tmp_path):
    bad = tmp_path / "scenario.json"
    bad.write_text('{"users": [{"UID": "x", "providers": {"twitter": "explode"}}]}')
    out = subprocess.run([sys.executable, "-m", "composer", "sandbox", "--scenario", str(bad)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "scenario" in out.stderr and "Traceback" not in out.stderr
