"""``composer publish`` and ``composer history`` against the real sandbox server over loopback,
with credentials from GIGYA_API_KEY / GIGYA_USER_KEY / GIGYA_SECRET."""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from pathlib import Path

import pytest

from composer.cli import main
from composer.core.live_service import endpoint_note
from composer.core.storage.history import History, default_path
from composer.core.wire.client import GigyaClient
from composer.sandbox.server import SandboxServer
from tests.helpers.stubs import FaultyServer, Reply

PROVIDER_KEYS = {"provider", "status", "postId", "errorCode", "errorMessage", "errorDetails"}


@pytest.fixture(autouse=True)
def credentials_in_the_environment(sandbox: SandboxServer, monkeypatch) -> None:
    """Every test here publishes to its own sandbox with the credentials QA exports."""
    info = sandbox.info()
    monkeypatch.setenv("GIGYA_API_KEY", info["apiKey"])
    monkeypatch.setenv("GIGYA_USER_KEY", info["userKey"])
    monkeypatch.setenv("GIGYA_SECRET", info["secret"])


def write_draft(tmp_path: Path, uid: str, name: str = "", **changes) -> Path:
    data = {
        "UID": uid,
        "userAction": {
            "userMessage": f"Message for {uid}",
            "title": f"Title for {uid} ✓",
            "linkBack": "https://example.com/article",
        },
    }
    data.update(changes)
    path = tmp_path / (name or f"{uid}.json")
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def publish(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(["publish", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def wait_for_posts(server: SandboxServer, count: int, deadline_s: float = 10.0) -> list[dict]:
    """The server's posts once it has ``count`` of them (demo-slow answers after 2 s)."""
    end = time.monotonic() + deadline_s
    while True:
        posts = server.posts()
        if len(posts) >= count or time.monotonic() > end:
            return posts
        time.sleep(0.05)


def providers_by_name(data: dict) -> dict[str, dict]:
    return {p["provider"]: p for p in data["providers"]}


def test_sandbox_demo_users_are_there(sandbox):
    uids = {u["UID"] for u in sandbox.info()["users"]}
    assert {"demo-all-ok", "demo-partial", "demo-no-connections", "demo-slow"} <= uids


def test_all_ok_exits_0(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-all-ok")
    code, data, err = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 0, err
    assert data["outcome"] == "posted"
    assert data["errorCode"] == 0
    assert data["sent"] == 1
    assert data["url"] == sandbox.url + "/socialize.publishUserAction"
    response = data["response"]
    assert isinstance(response, dict)
    assert response["errorCode"] == 0
    assert response["callId"] == data["callId"]
    posts = sandbox.posts()
    assert sorted(p["provider"] for p in posts) == sorted(["facebook", "twitter", "linkedin", "vkontakte", "renren", "sina"])
    # the response is the server's own answer: its post IDs are the ones the networks received
    assert response["providerPostIDs"] == {p["provider"]: p["postId"] for p in posts if p["postId"]}
    assert list(response["providerPostIDs"]) == ["facebook", "twitter", "linkedin"]
    for p in data["providers"]:
        assert set(p) == PROVIDER_KEYS
        assert p["status"] == "posted"
        assert p["postId"] == response["providerPostIDs"].get(p["provider"])
        assert p["errorCode"] is None or p["errorCode"] == 0
    assert posts[0]["userAction"]["title"] == "Title for demo-all-ok ✓"
    # the request is shown without the secret or the signature
    assert data["request"]["sig"] == "<redacted>"
    assert sandbox.info()["secret"] not in json.dumps(data)
    assert isinstance(data["historyId"], int)
    assert sandbox.request_count == 1
    assert data["notes"] == []  # a rehearsal on this machine: nothing to warn about


def test_a_result_from_an_endpoint_elsewhere_says_what_its_answer_means(tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-all-ok")
    # .invalid never resolves (RFC 6761): nothing can reach a real server by accident
    code = main(["publish", str(draft), "--base-url", "https://socialize.eu1.gigya.com.invalid", "--timeout", "5"])
    out, err = capsys.readouterr()
    assert code == 1
    note = endpoint_note("https://socialize.eu1.gigya.com.invalid")
    assert "retired socialize.publishUserAction on 2021-01-31" in note
    assert f"note: {note}" in (out + err).splitlines()


def test_all_ok_text_output(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-all-ok")
    code = main(["publish", str(draft), "--base-url", sandbox.url])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith("Published to 6 network(s); 0 failed\n")
    assert "history entry 1" in out


def test_partial_exits_3(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-partial")
    code, data, _ = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 3
    assert data["outcome"] == "partial"
    providers = providers_by_name(data)
    assert providers["facebook"]["status"] == "posted"
    assert providers["linkedin"]["status"] == "posted"
    assert providers["twitter"]["status"] == "failed"
    assert providers["twitter"]["errorCode"] == 403048
    assert providers["twitter"]["errorMessage"]
    assert sorted(p["provider"] for p in sandbox.posts()) == ["facebook", "linkedin"]


def test_no_connections_exits_1(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-no-connections")
    code, data, _ = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 1
    assert data["outcome"] == "failed"
    assert data["errorCode"] == 400006
    assert {p["status"] for p in data["providers"]} == {"not_attempted"}
    assert sandbox.posts() == []


def test_wrong_secret_exits_1(sandbox, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIGYA_SECRET", base64.b64encode(b"not the sandbox secret").decode())
    draft = write_draft(tmp_path, "demo-all-ok")
    code, data, _ = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 1
    assert data["outcome"] == "failed"
    assert data["errorCode"] == 403003
    assert sandbox.posts() == []
    assert sandbox.request_count == 1


def test_timeout_exits_4_and_was_sent_once(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-slow")
    code, data, err = publish(capsys, str(draft), "--base-url", sandbox.url, "--json", "--timeout", "0.5")
    assert code == 4, err
    assert data["outcome"] == "unknown"
    assert data["errorMessage"] == "no answer within 0.5 s (timeout); the post may be live"
    assert data["headline"].startswith("Outcome unknown")
    assert {p["status"] for p in data["providers"]} == {"unknown"}
    assert data["sent"] == 1
    # the outcome really was unknown: the server goes on and the networks receive the post
    posts = wait_for_posts(sandbox, 3)
    assert sorted(p["provider"] for p in posts) == ["facebook", "linkedin", "twitter"]
    # by then the client has long given up; it never sent the request again
    assert sandbox.request_count == 1


def test_validation_errors_exit_2_and_send_nothing(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-all-ok", cid="c" * 101, userLocation={"latitude": 91, "longitude": 0})
    before = sandbox.request_count
    code, data, err = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 2
    assert data is None
    assert "error: cid: at most 100 characters (this one has 101)" in err
    assert "error: userLocation.latitude:" in err
    assert "composer: the draft has 2 error(s); nothing was sent" in err
    assert sandbox.request_count == before == 0


def test_warnings_do_not_stop_publishing(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-all-ok", enabledProviders=["facebook", "myspace"], apiKey="3_in_the_draft")
    code, data, err = publish(capsys, str(draft), "--base-url", sandbox.url, "--json")
    assert code == 0
    assert "warning: enabledProviders:" in err
    assert "warning: apiKey: credentials do not belong in a draft" in err
    assert [p["provider"] for p in sandbox.posts()] == ["facebook"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-draft"),
        pytest.param(["DRAFT", "--timeout", "0"], id="timeout-zero"),
        pytest.param(["DRAFT", "--timeout", "soon"], id="timeout-not-a-number"),
        pytest.param(["DRAFT", "--data-center", "eu1.gigya.com", "--base-url", "URL"], id="two-endpoints"),
        pytest.param(["DRAFT", "--no-such-option"], id="unknown-option"),
        pytest.param(["DRAFT", "--retry-failed", "1"], id="draft-and-retry"),
        pytest.param(["DRAFT", "--auth", "password"], id="bad-auth"),
        pytest.param(["DRAFT", "--base-url", "http://example.com"], id="plain-http-remote"),
        pytest.param(["MISSING"], id="missing-draft"),
    ],
)
def test_bad_usage_exits_2(sandbox, tmp_path, capsys, args):
    draft = write_draft(tmp_path, "demo-all-ok")
    argv = [str(draft) if a == "DRAFT" else sandbox.url if a == "URL" else str(tmp_path / "missing.json") if a == "MISSING" else a for a in args]
    if "--base-url" not in argv and "--data-center" not in argv:
        argv += ["--base-url", sandbox.url]
    code = main(["publish", *argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.strip()
    assert "Traceback" not in err
    assert sandbox.request_count == 0


def test_partial_credentials_in_environment_exit_2(sandbox, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GIGYA_SECRET")
    code, _, err = publish(capsys, str(write_draft(tmp_path, "demo-all-ok")), "--base-url", sandbox.url, "--json")
    assert code == 2
    assert "GIGYA_API_KEY is set but GIGYA_SECRET is not" in err
    assert sandbox.request_count == 0


def test_history_then_retry_failed_sends_only_to_failed_providers(sandbox, tmp_path, capsys):
    ok = write_draft(tmp_path, "demo-all-ok")
    partial = write_draft(tmp_path, "demo-partial")
    assert publish(capsys, str(ok), "--base-url", sandbox.url, "--json")[0] == 0
    code, first, _ = publish(capsys, str(partial), "--base-url", sandbox.url, "--json")
    assert code == 3
    partial_id = first["historyId"]

    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["outcome"] for r in rows] == ["partial", "posted"]
    assert rows[0]["id"] == partial_id
    assert rows[1]["id"] < partial_id
    assert rows[0]["attempted"] == ["facebook", "twitter", "linkedin"]
    assert rows[0]["failed"] == ["twitter"]
    assert rows[0]["summary"].startswith("demo-partial: ")

    posts_before = sandbox.posts()
    code, retry, err = publish(capsys, "--retry-failed", str(partial_id), "--base-url", sandbox.url, "--json")
    # twitter still answers 403048 in the sandbox: nothing posted, and nothing posted twice
    assert code == 1, err
    assert retry["request"]["enabledProviders"] == "twitter"
    assert providers_by_name(retry)["twitter"]["status"] == "failed"
    assert providers_by_name(retry)["facebook"]["status"] == "not_attempted"
    attempts = sandbox.attempts()
    assert [a["provider"] for a in attempts if a["UID"] == "demo-partial"] == ["facebook", "twitter", "linkedin", "twitter"]
    posts = sandbox.posts()
    assert posts == posts_before
    received = [(p["UID"], p["provider"]) for p in posts]
    assert len(received) == len(set(received)), f"a network received the same post twice: {received}"

    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["retryOf"] == partial_id
    assert rows[0]["attempted"] == ["twitter"]


def test_text_output_names_each_unknown_networks_code_and_details_and_the_http_status(sandbox, tmp_path, capsys):
    draft = write_draft(tmp_path, "demo-server-error", httpStatusCodes=True)
    code = main(["publish", str(draft), "--base-url", sandbox.url])
    out = capsys.readouterr().out.splitlines()
    assert code == 4
    assert out[1].endswith("  HTTP 500")
    assert "  facebook   unknown       error 500001: General server error (Facebook returned an unexpected error)" in out
    assert "  vkontakte  not_attempted not connected for this user" in out


def test_text_output_gives_no_code_for_a_network_whose_entry_said_ok(tmp_path, capsys):
    # the call failed (500001) although Facebook's entry says posted (errorCode 0): its line says
    # why it is unknown, with no "error 0" before it
    body = {"errorCode": 500001, "errorMessage": "General server error", "statusCode": 500, "callId": "c1",
            "providerPostIDs": {"facebook": "fb-1"},
            "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}, {"provider": "twitter", "errorCode": 500001}]}
    with FaultyServer([Reply(status=500, body=body)]) as server:
        code = main(["publish", str(write_draft(tmp_path, "u1")), "--base-url", server.url])
    out = capsys.readouterr().out.splitlines()
    assert code == 4
    facebook = next(line for line in out if line.startswith("  facebook"))
    assert facebook.endswith("unknown       its entry says posted, but the call failed with 500001")
    assert any(line.startswith("  twitter    unknown       error 500001: ") for line in out)


def twitter_answer(facebook: bool | None, twitter: bool) -> Reply:
    """A publishUserAction answer: Facebook posted (True), absent (None); Twitter posted or rate-limited."""
    post_ids, entries = {}, []
    for name, posted in (("facebook", facebook), ("twitter", twitter)):
        if posted is None:
            continue
        if posted:
            post_ids[name] = f"{name}-post"
            entries.append({"provider": name, "errorCode": 0})
        else:
            entries.append({"provider": name, "errorCode": 403048, "errorMessage": "Api rate limit exceeded"})
    code = 0 if post_ids else 403048
    return Reply(body={"errorCode": code, "callId": "c", "time": "t", "providerPostIDs": post_ids, "providerErrorCodes": entries})


@pytest.mark.parametrize("posted_by", ["sibling", "child"])
def test_retry_never_sends_again_to_a_network_another_retry_of_the_family_reached(tmp_path, capsys, posted_by):
    # #1 partial (Twitter failed); #2 retries it and Twitter fails again; #3 retries #1 (a sibling
    # of #2) or #2 (its child) and Twitter posts.  #2's own row still says Twitter failed: retrying
    # it must not post to Twitter twice.
    script = [twitter_answer(True, False), twitter_answer(None, False), twitter_answer(None, True)]
    with FaultyServer(script) as server:
        code, first, _ = publish(capsys, str(write_draft(tmp_path, "u1")), "--base-url", server.url, "--json")
        assert code == 3
        code, second, _ = publish(capsys, "--retry-failed", str(first["historyId"]), "--json")
        assert code == 1
        parent = first if posted_by == "sibling" else second
        code, third, _ = publish(capsys, "--retry-failed", str(parent["historyId"]), "--json")
        assert code == 0
        assert providers_by_name(third)["twitter"]["status"] == "posted"

        code, again, err = publish(capsys, "--retry-failed", str(second["historyId"]), "--yes", "--json")
        assert (code, again) == (1, None)
        assert "another retry of that attempt already posted to every network that failed" in err
        assert server.request_count == 3


def test_retry_refuses_when_another_attempt_of_the_family_cannot_be_read(tmp_path, capsys):
    # #1 partial (Twitter failed), #2 retried it and Twitter failed again; then #1's stored result
    # is damaged: what #1's family posted is unknown, so a retry of #2 sends nothing
    with FaultyServer([twitter_answer(True, False), twitter_answer(None, False)]) as server:
        code, first, _ = publish(capsys, str(write_draft(tmp_path, "u1")), "--base-url", server.url, "--json")
        code, second, _ = publish(capsys, "--retry-failed", str(first["historyId"]), "--json")
        assert code == 1
        with sqlite3.connect(default_path()) as db:
            db.execute("UPDATE attempts SET result = '{not json' WHERE id = ?", (first["historyId"],))
        db.close()
        code, again, err = publish(capsys, "--retry-failed", str(second["historyId"]), "--yes", "--json")
        assert (code, again) == (1, None)
        assert err.startswith(f"composer: the history cannot tell what the other attempts of #{second['historyId']} posted; nothing is sent")
        assert f"entry {first['historyId']} of the publish history" in err and "Traceback" not in err
        assert server.request_count == 2


def test_retry_warns_of_an_unknown_outcome_in_a_sibling_retry(sandbox, tmp_path, capsys):
    # #2 retried #1 and Twitter's outcome is unknown (its post may be live): a retry of #1 asks first
    partial = {"outcome": "partial", "providers": [{"provider": "facebook", "status": "posted"}, {"provider": "twitter", "status": "failed"}]}
    with History(default_path()) as history:
        first = history.add(profile="Sandbox", draft={"UID": "demo-all-ok", "userAction": {"title": "T"}}, result=partial)
        sibling = history.add(profile="Sandbox", draft={"UID": "demo-all-ok", "userAction": {"title": "T"}},
                              result={"outcome": "unknown", "providers": [{"provider": "twitter", "status": "unknown"}]}, retry_of=first)
    code, _, err = publish(capsys, "--retry-failed", str(first), "--base-url", sandbox.url, "--json")
    assert code == 1
    assert f"the post may already be live on twitter (#{sibling}). Check those networks first" in err and "--yes" in err
    assert sandbox.request_count == 0


def test_retry_failed_after_a_refused_call_and_unknown_id(sandbox, tmp_path, capsys):
    code, data, _ = publish(capsys, str(write_draft(tmp_path, "demo-all-ok")), "--base-url", sandbox.url, "--json")
    assert code == 0
    code, _, err = publish(capsys, "--retry-failed", str(data["historyId"]), "--base-url", sandbox.url, "--json")
    assert code == 1
    assert "nothing to retry" in err
    code, _, err = publish(capsys, "--retry-failed", "999", "--base-url", sandbox.url, "--json")
    assert code == 2
    assert "there is no history entry 999" in err
    assert sandbox.request_count == 1


def test_retry_after_unknown_needs_yes(sandbox, tmp_path, capsys):
    code, data, _ = publish(capsys, str(write_draft(tmp_path, "demo-slow")), "--base-url", sandbox.url, "--json", "--timeout", "0.5")
    assert code == 4
    code, _, err = publish(capsys, "--retry-failed", str(data["historyId"]), "--base-url", sandbox.url, "--json")
    assert code == 1
    assert "An earlier outcome is unknown" in err
    assert "--yes" in err
    assert sandbox.request_count == 1


def test_a_failure_of_our_own_code_after_sending_is_unknown_and_recorded(sandbox, tmp_path, capsys, monkeypatch):
    def broken(self, call):
        raise RuntimeError("a bug in the client")

    monkeypatch.setattr(GigyaClient, "publish", broken)
    code, data, err = publish(capsys, str(write_draft(tmp_path, "demo-all-ok")), "--base-url", sandbox.url, "--json")
    assert code == 4
    assert "Traceback" not in err
    assert data["outcome"] == "unknown"
    assert data["errorMessage"] == "composer failed while publishing (RuntimeError: a bug in the client); the post may be live"
    assert {p["status"] for p in data["providers"]} == {"unknown"}
    assert main(["history", "--json"]) == 0
    assert [r["outcome"] for r in json.loads(capsys.readouterr().out)] == ["unknown"]


def test_an_interrupted_publish_is_recorded_as_unknown(sandbox, tmp_path, capsys, monkeypatch):
    def interrupted(self, call):
        raise KeyboardInterrupt

    monkeypatch.setattr(GigyaClient, "publish", interrupted)
    assert main(["publish", str(write_draft(tmp_path, "demo-all-ok")), "--base-url", sandbox.url]) == 130
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["outcome"] for r in rows] == ["unknown"]


def test_retry_failed_with_an_unusable_data_folder_says_why(sandbox, tmp_path, monkeypatch, capsys):
    """The history cannot be opened (the data folder is a regular file): a message and exit 1,
    never a traceback, and nothing is sent."""
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(blocker))
    code, _, err = publish(capsys, "--retry-failed", "1", "--base-url", sandbox.url, "--json")
    assert code == 1
    assert err.startswith("composer: ") and "Traceback" not in err and str(blocker) in err
    assert sandbox.request_count == 0


def test_the_history_names_the_draft_file_a_publish_and_its_retry_sent(sandbox, tmp_path, capsys):
    """As for the window's attempts, the History window's caption says "draft spring.json", never
    "draft untitled", for an attempt made with 'composer publish spring.json'."""
    code, first, err = publish(capsys, str(write_draft(tmp_path, "demo-partial", "spring.json")), "--base-url", sandbox.url, "--json")
    assert code == 3, err
    code, retry, err = publish(capsys, "--retry-failed", str(first["historyId"]), "--base-url", sandbox.url, "--json")
    assert code == 1, err
    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["draftName"]) for r in rows] == [(retry["historyId"], "spring.json"), (first["historyId"], "spring.json")]


def test_curl_and_explain_signature_with_json_print_one_object_and_send_nothing(sandbox, tmp_path, capsys):
    draft = str(write_draft(tmp_path, "demo-all-ok"))
    code, data, err = publish(capsys, draft, "--base-url", sandbox.url, "--curl", "--explain-signature", "--json")
    assert code == 0, err
    assert (data["sent"], data["url"]) == (0, f"{sandbox.url}/socialize.publishUserAction")
    assert data["request"]["sig"] == "<redacted>" and data["request"]["UID"] == "demo-all-ok"
    assert data["curl"].startswith(f"curl -sS -X POST {sandbox.url}/socialize.publishUserAction") and "sig=<redacted>" in data["curl"]
    signature = data["signature"]
    assert signature["baseString"].startswith("POST&") and "UID%3Ddemo-all-ok" in signature["baseString"]
    assert signature["normalizedUrl"] == data["url"] and signature["sig"]
    code, data, err = publish(capsys, draft, "--base-url", sandbox.url, "--auth", "secret", "--explain-signature", "--json")
    assert code == 0, err
    assert data["signature"] is None and "curl" not in data
    assert data["notes"] == ["this profile sends the secret over HTTPS; there is no signature to explain"]
    assert sandbox.request_count == 0
