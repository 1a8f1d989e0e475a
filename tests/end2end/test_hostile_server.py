"""``composer publish`` against a server that answers in every wrong way we could think of
(``FaultyServer``, tests/helpers/stubs.py), through the real command line, client and history.

For each mode of answer: the outcome is the truthful one (success only when the answer says so in
the contract's shape, unknown when it cannot be read, not sent when no byte of the request left);
the exit code is the README's for that outcome; the command ends within its --timeout (timing is
only ever an upper bound, with a generous margin); the printed JSON is one object; a history row
records the attempt; nothing raises.  A last test measures the client's memory against a body that
never ends.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from composer.cli import main
from tests.helpers.environment import REPO, require
from tests.helpers.stubs import Action, Drip, Drop, Endless, FaultyServer, Hang, Mute, Raw, Reply, http_head, refused_port

#: the exit code of each outcome, as the README's command table states it
EXIT = {"posted": 0, "partial": 3, "failed": 1, "unknown": 4}
#: --timeout for the modes that only the deadline can end, and for every other mode
DEADLINE_S = 1.0
PATIENT_S = 10.0
#: how far past its --timeout a command may end (an upper bound only: loaded CI machines are slow)
MARGIN_S = 4.0


def gigya(code: int = 0, **fields) -> dict:
    """An answer in the contract's shape (section 3)."""
    message = {} if code == 0 else {"errorMessage": "Something went wrong", "errorDetails": "details"}
    return {"statusCode": 200, "errorCode": code, "statusReason": "OK", "callId": "c0ffee", "time": "2015-03-22T11:42:25.943Z",
            **message, **fields}


def entry(provider, code=0, **fields) -> dict:
    return {"provider": provider, "errorCode": code, **fields}


FB_OK = entry("facebook", 0, errorMessage="OK")
OK = gigya(0, providerPostIDs={"facebook": "fb-1"}, providerErrorCodes=[FB_OK])


def posted_with(**fields) -> Reply:
    """A success whose network parts are replaced by ``fields``."""
    body = dict(OK)
    body.update(fields)
    return Reply(body={k: v for k, v in body.items() if v is not None})


def text(body: str | bytes, **kwargs) -> Reply:
    return Reply(body=body if isinstance(body, bytes) else body.encode("utf-8"), **kwargs)


def head(first: str, *lines: str) -> bytes:
    return ("\r\n".join([first, *lines]) + "\r\n\r\n").encode("latin-1")


OK_BYTES = json.dumps(OK).encode()
DEEP = b"[" * 100_000 + b"]" * 100_000
BOMB = gzip.compress(b"\0" * (32 * 1024 * 1024), compresslevel=1)  # 32 MB of zeros, past the 4 MB cap


@dataclass(frozen=True)
class Mode:
    #: what the server does (None: nothing listens on the port at all)
    action: Action | None
    outcome: str
    #: requests that may have left (0: the command says nothing was sent)
    sent: int = 1
    #: only the deadline ends it: run with --timeout DEADLINE_S
    slow: bool = False
    #: the base URL's scheme (https against a plain server: a TLS handshake that stalls or fails)
    scheme: str = "http"
    #: statuses some networks must have
    networks: dict[str, str] = field(default_factory=dict)


MODES = {
    # --- answers in the contract's shape ----------------------------------------------------
    "ok": Mode(Reply(body=OK), "posted", networks={"facebook": "posted", "twitter": "not_attempted"}),
    "partial": Mode(
        Reply(body=gigya(0, providerPostIDs={"facebook": "fb-1"},
                         providerErrorCodes=[FB_OK, entry("twitter", 403024, errorMessage="Provider limit reached")])),
        "partial", networks={"facebook": "posted", "twitter": "failed", "linkedin": "not_attempted"}),
    "refused-403003": Mode(Reply(body=gigya(403003)), "failed", networks={"facebook": "not_attempted"}),
    "negative-code": Mode(Reply(body=gigya(-1)), "failed"),
    "server-error-500001": Mode(Reply(body=gigya(500001)), "unknown", networks={"facebook": "unknown"}),
    "jsonp-wrapper": Mode(text(b"cb(" + OK_BYTES + b");", content_type="text/javascript"), "posted"),
    "gzip": Mode(Reply(body=OK, gzip=True), "posted"),
    "chunked": Mode(Reply(body=OK, chunked=True), "posted"),
    "content-type-text-plain": Mode(Reply(body=OK, content_type="text/plain"), "posted"),
    "no-content-type": Mode(Reply(body=OK, content_type=None), "posted"),
    "utf8-bom": Mode(text(b"\xef\xbb\xbf" + OK_BYTES), "posted"),
    "charset-latin1": Mode(text(json.dumps(gigya(403007, errorMessage="refusée"), ensure_ascii=False).encode("latin-1"),
                                content_type="application/json; charset=ISO-8859-1"), "failed"),
    "charset-idna": Mode(Reply(body=OK, content_type="application/json; charset=idna"), "posted"),
    "charset-unknown": Mode(Reply(body=OK, content_type="application/json; charset=no-such-thing"), "posted"),
    "invalid-utf8": Mode(text(b'{"errorCode": 403005, "errorMessage": "bad \xff\xfe bytes"}'), "failed"),
    "lone-surrogate": Mode(text(b'{"errorCode": 403005, "errorMessage": "half \\ud800 a pair"}'), "failed"),
    "terminal-escapes": Mode(Reply(body=gigya(403005, errorMessage="\x1b]0;pwned\x07\x1b[2J\u009b31m")), "failed"),
    "huge-message": Mode(Reply(body=gigya(403005, errorMessage="m" * 1_000_000)), "failed"),
    # --- codes that are not the integers the contract promises ------------------------------
    "code-infinity": Mode(text('{"errorCode": Infinity}'), "unknown"),
    "code-minus-infinity": Mode(text('{"errorCode": -Infinity}'), "unknown"),
    "code-1e999": Mode(text('{"errorCode": 1e999}'), "unknown"),
    "code-nan": Mode(text('{"errorCode": NaN}'), "unknown"),
    "provider-code-infinity": Mode(text('{"errorCode": 0, "providerErrorCodes": [{"provider": "facebook", "errorCode": Infinity}]}'), "unknown"),
    "code-5000-digits": Mode(text('{"errorCode": ' + "1" * 5000 + "}"), "unknown"),
    "code-21-digits": Mode(text('{"errorCode": ' + "1" * 21 + "}"), "unknown"),
    "nested-100000-deep": Mode(text(DEEP), "unknown"),
    "code-text": Mode(Reply(body=gigya("error")), "unknown"),
    "code-text-zero": Mode(Reply(body=gigya("0")), "unknown"),
    "code-null": Mode(Reply(body=gigya(None)), "unknown"),
    "code-object": Mode(Reply(body=gigya({"code": 403})), "unknown"),
    "code-fraction": Mode(Reply(body=gigya(0.5)), "unknown"),
    "code-zero-float": Mode(text(b'{"errorCode": 0.0, "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}]}'), "unknown"),
    "code-true": Mode(Reply(body=gigya(True)), "unknown"),
    "code-false": Mode(Reply(body={**OK, "errorCode": False}), "unknown"),
    "code-missing": Mode(Reply(body={"hello": "world"}), "unknown"),
    "top-level-list": Mode(Reply(body=[OK]), "unknown"),
    "duplicate-keys": Mode(text('{"errorCode": 403003, "errorCode": 0}'), "unknown"),
    # --- success claimed, but not in the contract's shape -----------------------------------
    "zero-no-networks": Mode(Reply(body=gigya(0)), "unknown", networks={"facebook": "unknown", "sina": "unknown"}),
    "zero-empty-entries": Mode(posted_with(providerErrorCodes=[], providerPostIDs=None), "unknown"),
    "zero-only-failures": Mode(posted_with(providerErrorCodes=[entry("twitter", 403024)], providerPostIDs=None), "unknown",
                               networks={"twitter": "failed", "facebook": "unknown"}),
    "http-500-code-zero": Mode(Reply(status=500, body=OK), "unknown", networks={"facebook": "unknown"}),
    "http-403-code-zero": Mode(Reply(status=403, body=OK), "unknown"),
    "http-202-code-zero": Mode(Reply(status=202, body=OK), "unknown"),
    "http-999-code-zero": Mode(Reply(status=999, body=OK), "unknown"),
    "provider-code-oops": Mode(posted_with(providerErrorCodes=[entry("facebook", "oops")]), "unknown", networks={"facebook": "unknown"}),
    "provider-code-null": Mode(posted_with(providerErrorCodes=[entry("facebook", None)]), "unknown", networks={"facebook": "unknown"}),
    "provider-named-list": Mode(posted_with(providerErrorCodes=[entry(["fb"])], providerPostIDs=None), "unknown",
                                networks={'["fb"]': "unknown", "facebook": "unknown"}),
    "provider-odd-case": Mode(posted_with(providerErrorCodes=[entry("Facebook")], providerPostIDs={"Facebook": "fb-1"}), "unknown",
                              networks={"Facebook": "unknown", "facebook": "unknown"}),
    "provider-unknown": Mode(posted_with(providerErrorCodes=[FB_OK, entry("myspace")]), "unknown",
                             networks={"facebook": "posted", "myspace": "unknown", "twitter": "unknown"}),
    "provider-missing-name": Mode(posted_with(providerErrorCodes=[FB_OK, {"errorCode": 0}]), "unknown", networks={"facebook": "posted"}),
    "entry-not-an-object": Mode(posted_with(providerErrorCodes=[FB_OK, "twitter"]), "unknown", networks={"twitter": "unknown"}),
    "entries-not-a-list": Mode(posted_with(providerErrorCodes={"facebook": 0}), "unknown", networks={"facebook": "unknown"}),
    "post-ids-not-an-object": Mode(posted_with(providerPostIDs=["fb-1"]), "unknown", networks={"facebook": "posted", "twitter": "unknown"}),
    "post-id-null": Mode(posted_with(providerPostIDs={"facebook": None}), "unknown", networks={"facebook": "unknown"}),
    "post-id-number": Mode(posted_with(providerPostIDs={"facebook": 696437547}), "unknown", networks={"facebook": "unknown"}),
    "post-id-object": Mode(posted_with(providerPostIDs={"facebook": {"id": "fb-1"}}), "unknown", networks={"facebook": "unknown"}),
    "post-id-without-entry": Mode(posted_with(providerErrorCodes=None, providerPostIDs={"facebook": "fb-1"}), "unknown",
                                  networks={"facebook": "unknown"}),
    "failed-entry-with-post-id": Mode(posted_with(providerErrorCodes=[entry("facebook", 403024)]), "unknown", networks={"facebook": "unknown"}),
    "posted-entry-in-a-refusal": Mode(Reply(body=gigya(403007, providerErrorCodes=[FB_OK])), "unknown", networks={"facebook": "unknown"}),
    "entries-disagree": Mode(posted_with(providerErrorCodes=[FB_OK, entry("facebook", 403024)]), "unknown", networks={"facebook": "unknown"}),
    # --- not JSON ---------------------------------------------------------------------------
    "empty-body": Mode(text(b""), "unknown"),
    "html-page": Mode(text("<!DOCTYPE html><html><body>Oops</body></html>", content_type="text/html"), "unknown"),
    "xml": Mode(text('<?xml version="1.0"?><socialize.publishUserActionResponse/>', content_type="text/xml"), "unknown"),
    "truncated-json": Mode(text(OK_BYTES[:40]), "unknown"),
    "plain-text": Mode(text("OK", content_type="text/plain"), "unknown"),
    "gzip-without-header": Mode(text(gzip.compress(OK_BYTES)), "unknown"),
    # --- HTTP statuses ----------------------------------------------------------------------
    "http-204": Mode(Raw(head("HTTP/1.1 204 No Content", "Connection: close")), "unknown"),
    "http-301": Mode(Reply(status=301, headers={"Location": "http://127.0.0.1:9/"}), "unknown"),
    "http-302": Mode(Reply(status=302, headers={"Location": "http://127.0.0.1:9/"}), "unknown"),
    "http-400-gigya": Mode(Reply(status=400, body=gigya(400006)), "failed"),
    "http-404-html": Mode(text("<html><body>Not Found</body></html>", status=404, content_type="text/html"), "failed"),
    "http-429": Mode(text("Too Many Requests", status=429, content_type="text/plain"), "failed"),
    "http-500-empty": Mode(Reply(status=500), "unknown"),
    "http-502": Mode(text("<html><body>Bad Gateway</body></html>", status=502, content_type="text/html"), "unknown"),
    "http-503": Mode(Reply(status=503, body=gigya(500001)), "unknown"),
    "http-504": Mode(text("Gateway Timeout", status=504, content_type="text/plain"), "unknown"),
    # --- the protocol broken ----------------------------------------------------------------
    "content-length-too-large": Mode(Reply(body=OK, declared_length=len(OK_BYTES) + 100), "unknown"),
    "headers-only-then-close": Mode(Raw(http_head(200, {"Content-Length": "500"})), "unknown"),
    "reset-mid-body": Mode(Raw(http_head(200, {"Content-Length": "500"}) + OK_BYTES[:30], then="reset"), "unknown"),
    "drop-without-answer": Mode(Drop(), "unknown"),
    "no-status-line": Mode(Raw(OK_BYTES), "unknown"),
    "garbage-status-line": Mode(Raw(head("HTTP/1.1 two hundred OK") + OK_BYTES), "unknown"),
    "too-many-headers": Mode(Raw(head("HTTP/1.1 200 OK", *[f"X-{i}: y" for i in range(200)]) + OK_BYTES), "unknown"),
    "conflicting-lengths": Mode(Raw(head("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 9") + OK_BYTES), "unknown"),
    "bad-chunk-length": Mode(Raw(head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked") + b"zz\r\n{}\r\n0\r\n\r\n"), "unknown"),
    "gzip-lie": Mode(Reply(body=OK, headers={"Content-Encoding": "gzip"}), "unknown"),
    # --- only a deadline or the size cap ends these -----------------------------------------
    "hang": Mode(Hang(), "unknown", slow=True),
    "drip-headers": Mode(Drip(Reply(body=OK).encode(), every=0.2), "unknown", slow=True),
    "drip-body": Mode(Drip(OK_BYTES, every=0.2, lead=http_head(200, {"Content-Length": str(len(OK_BYTES))})), "unknown", slow=True),
    "headers-then-silence": Mode(Raw(http_head(200, {"Content-Length": "500"}), then="hang"), "unknown", slow=True),
    "endless-continue": Mode(Drip(b"HTTP/1.1 100 Continue\r\n\r\n" * 1000, every=0.01), "unknown", slow=True),
    "endless-body-slow": Mode(Endless.chunked(b"x", every=0.1), "unknown", slow=True),
    "endless-body-fast": Mode(Endless.chunked(), "unknown"),
    "body-50-mb": Mode(Endless(http_head(200, {"Content-Length": str(50 * 1024 * 1024)}), b"x" * 65536), "unknown"),
    "gzip-bomb": Mode(Raw(http_head(200, {"Content-Encoding": "gzip", "Content-Length": str(len(BOMB))}) + BOMB), "unknown"),
    # --- nothing sent -----------------------------------------------------------------------
    "connection-refused": Mode(None, "failed", sent=0),
    "tls-handshake-stalls": Mode(Mute(), "failed", sent=0, slow=True, scheme="https"),
    "tls-handshake-fails": Mode(Raw(Reply(body=OK).encode(), read_request=False), "failed", sent=0, scheme="https"),
}


@pytest.fixture
def draft(tmp_path, monkeypatch) -> Path:
    """A valid draft, and credentials in the environment (the server checks none of them)."""
    monkeypatch.setenv("GIGYA_API_KEY", "3_hostile")
    monkeypatch.setenv("GIGYA_USER_KEY", "hostile-user-key")
    monkeypatch.setenv("GIGYA_SECRET", base64.b64encode(b"hostile-server-secret").decode())
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({"UID": "demo-user", "userAction": {"title": "Title", "linkBack": "https://example.com/a"}}), "utf-8")
    return path


def history(capsys) -> list[dict]:
    assert main(["history", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
def test_every_answer_is_reported_truthfully_in_time_and_recorded(mode: Mode, draft, capsys):
    timeout = DEADLINE_S if mode.slow else PATIENT_S
    if mode.action is None:
        sock, port = refused_port()
        server = None
    else:
        server = FaultyServer([mode.action]).start()
        port = server.port
    try:
        started = time.monotonic()
        code = main(["publish", str(draft), "--base-url", f"{mode.scheme}://127.0.0.1:{port}", "--json", "--timeout", str(timeout)])
        elapsed = time.monotonic() - started
    finally:
        if server is None:
            sock.close()
        else:
            server.stop()
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    result = json.loads(out)
    assert (result["outcome"], code) == (mode.outcome, EXIT[mode.outcome]), result["errorMessage"]
    assert result["sent"] == mode.sent
    assert elapsed < timeout + MARGIN_S
    if mode.outcome in ("unknown", "failed"):
        assert result["headline"] and result["errorMessage"], "an outcome that is not success says why"
    statuses = {p["provider"]: p["status"] for p in result["providers"]}
    assert {name: statuses.get(name) for name in mode.networks} == mode.networks
    if mode.outcome == "posted":
        assert "unknown" not in statuses.values()
    # the raw answer is kept for the user, clipped
    shown = result["response"]
    assert shown is None or isinstance(shown, dict) or len(shown) < 70 * 1024
    if server is not None:
        assert server.errors == []
        assert server.request_count == mode.sent
    rows = history(capsys)
    assert len(rows) == 1
    assert (rows[0]["id"], rows[0]["outcome"]) == (result["historyId"], mode.outcome)


def test_the_text_output_shows_the_server_s_control_characters_escaped(draft, capsys):
    with FaultyServer([MODES["terminal-escapes"].action]) as server:
        code = main(["publish", str(draft), "--base-url", server.url])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\u009b" not in out
    assert "\\x1b]0;pwned\\x07" in out
    assert "history entry 1" in out


def test_a_long_answer_is_clipped_where_it_is_kept(draft, capsys):
    with FaultyServer([MODES["huge-message"].action]) as server:
        main(["publish", str(draft), "--base-url", server.url, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert len(result["errorMessage"]) < 1100
    assert result["errorMessage"].endswith("more characters not kept]")
    assert isinstance(result["response"], str) and result["response"].endswith("more characters not kept]")


# --- memory against a body that never ends --------------------------------------------------

_PROBE = textwrap.dedent(
    """
    import sys, tracemalloc
    from composer.cli import main

    def high_water_kb():  # the peak resident memory of this process so far (ru_maxrss would count the parent's)
        return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

    before = high_water_kb()
    tracemalloc.start()
    code = main(["publish", sys.argv[1], "--base-url", sys.argv[2], "--json", "--timeout", "20"])
    traced = tracemalloc.get_traced_memory()[1]
    print("GROWTH_KB", high_water_kb() - before, traced // 1024, file=sys.stderr)
    sys.exit(code)
    """
)


def _growth_kb(draft: Path, action: Action, tmp_path: Path) -> tuple[int, int, int, float]:
    """Run ``composer publish`` in a process of its own against ``action``: its exit code, how far
    its peak resident memory rose during the publish and the peak of Python's own allocations
    (both in KB), and how long it took."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    with FaultyServer([action]) as server:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", _PROBE, str(draft), server.url], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
    line = next(line for line in done.stderr.splitlines() if line.startswith("GROWTH_KB"))
    rss, traced = (int(n) for n in line.split()[1:])
    return done.returncode, rss, traced, elapsed


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["endless-body-fast", "body-50-mb", "gzip-bomb"])
def test_memory_stays_bounded_against_an_endless_body(mode, draft, tmp_path, capsys):
    require(Path("/proc/self/status").exists(), "the peak resident memory is read from /proc/self/status (Linux)")
    _, rss_ok, traced_ok, _ = _growth_kb(draft, Reply(body=OK), tmp_path)  # the imports and a normal answer
    code, rss, traced, elapsed = _growth_kb(draft, MODES[mode].action, tmp_path)
    with capsys.disabled():
        print(f"\n{mode}: peak resident memory +{(rss - rss_ok) / 1024:.1f} MB and Python's allocations "
              f"+{(traced - traced_ok) / 1024:.1f} MB over a normal answer's, {elapsed:.1f} s")
    assert code == EXIT["unknown"]
    assert rss - rss_ok < 100 * 1024
    assert traced - traced_ok < 100 * 1024
