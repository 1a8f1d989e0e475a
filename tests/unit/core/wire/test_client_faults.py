"""GigyaClient against a real loopback server that misbehaves on purpose (``FaultyServer`` in
tests/helpers/stubs.py).

Whatever the server or the network does, publish() returns a PublishResult with the right outcome,
per-provider statuses and a message a person understands; it never raises.  The server's own
request count proves what was sent: after a timeout, a dropped connection, a 5xx or 500001 the
request went out exactly once; 403002 and 301001 are sent once more, never twice.
"""

from __future__ import annotations

import base64
import errno
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests

from composer.core.call.model import PublishCall, UserAction
from composer.core.contract import PROVIDERS, REDACTED
from composer.core.wire import signing
from composer.core.wire.client import MAX_ANSWER_BYTES, AuthMode, Credentials, GigyaClient, _why_no_connection, parse_response
from composer.core.wire.result import Outcome, PublishResult, Status
from composer.core.wire.transport import Exchange
from tests.helpers.stubs import Drip, Drop, Endless, FaultyServer, Hang, Mute, Reply, forwarding_session, http_head, refused_port

SECRET = base64.b64encode(b"faulty-server-secret-0123456789").decode()
API_KEY = "3_faulty_api_key"
USER_KEY = "faulty-user-key"
METHOD_PATH = "/socialize.publishUserAction"
OK_BODY = {
    "statusCode": 200,
    "errorCode": 0,
    "statusReason": "OK",
    "callId": "c0ffee",
    "time": "2015-03-22T11:42:25.943Z",
    "providerPostIDs": {"facebook": "fb-1", "twitter": "tw-1"},
    "providerErrorCodes": [
        {"provider": "facebook", "errorCode": 0, "errorMessage": "OK"},
        {"provider": "twitter", "errorCode": 0, "errorMessage": "OK"},
    ],
}


def call(**changes) -> PublishCall:
    c = PublishCall(UID="demo-user", userAction=UserAction(title="Título ✓ 新", linkBack="https://example.com/a b"))
    for key, value in changes.items():
        setattr(c, key, value)
    return c


def error_body(code: int, message: str, details: str = "", status: int = 200) -> dict:
    body = {"statusCode": status, "errorCode": code, "statusReason": "x", "errorMessage": message, "callId": "e1"}
    if details:
        body["errorDetails"] = details
    return body


def statuses(result: PublishResult) -> dict[str, str]:
    return {p.provider: p.status.value for p in result.providers}


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def serve() -> Iterator[Callable[..., FaultyServer]]:
    servers: list[FaultyServer] = []

    def start(*script) -> FaultyServer:
        server = FaultyServer(script).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
        assert server.errors == []


@pytest.fixture
def client() -> Iterator[Callable[..., GigyaClient]]:
    clients: list[GigyaClient] = []

    def make(base_url: str, *, auth: AuthMode = AuthMode.SIGNED, secret: str = SECRET, **kwargs) -> GigyaClient:
        kwargs.setdefault("timeout", 5)
        made = GigyaClient(Credentials(API_KEY, secret, USER_KEY, auth), base_url, **kwargs)
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.close()


# --- well-formed answers ----------------------------------------------------------------------


def test_success(serve, client):
    server = serve(Reply(body=OK_BODY))
    result = client(server.url).publish(call(enabledProviders=["facebook", "twitter", "linkedin"]))
    assert result.outcome is Outcome.POSTED
    assert result.error_code == 0
    assert result.call_id == "c0ffee"
    assert result.http_status == 200
    assert result.sent == 1
    assert result.response == OK_BODY
    assert statuses(result) == {
        "facebook": "posted",
        "twitter": "posted",
        "linkedin": "not_attempted",
        "vkontakte": "not_attempted",
        "renren": "not_attempted",
        "sina": "not_attempted",
    }
    assert [p.post_id for p in result.providers[:2]] == ["fb-1", "tw-1"]
    assert result.providers[2].error_message == "not connected for this user"
    assert result.providers[3].error_message == "excluded by enabledProviders / disabledProviders"
    assert server.request_count == 1


def test_request_on_the_wire_is_signed_and_each_json_param_sent_once(serve, client):
    server = serve(Reply(body=OK_BODY))
    c = call(tags=["a b", "c+d"], actionAttributes={"k": ["v 1", "ü"], "q": ["x=1&y=2 100%"]})
    c.userAction.description = "新しい 🎉 a+b <b>&amp;</b>"
    client(server.url).publish(c)
    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == METHOD_PATH
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    params = request.params
    for key, value in c.to_params().items():
        assert params[key] == value  # the exact string that was serialized once and signed
    assert params["format"] == "json"
    assert params["apiKey"] == API_KEY
    assert params["userKey"] == USER_KEY
    assert "secret" not in params
    assert abs(int(params["timestamp"]) - time.time()) < 30
    sig = params.pop("sig")
    assert signing.verify(SECRET, "POST", server.url + METHOD_PATH, params, sig)
    assert SECRET not in request.body.decode("utf-8")


def test_http_200_with_an_error_code(serve, client):
    server = serve(Reply(body=error_body(403005, "Unauthorized user", "the UID is unknown")))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 403005
    assert result.error_message == "Unauthorized user"
    assert result.error_details == "the UID is unknown"
    assert result.headline == "Error 403005: Unauthorized user (the UID is unknown)"
    assert set(statuses(result).values()) == {"not_attempted"}
    assert result.providers[0].error_message == "call refused: Unauthorized user"
    assert server.request_count == 1


def test_partial(serve, client):
    body = {
        "errorCode": 0,
        "callId": "p1",
        "providerPostIDs": {"facebook": "fb-9"},
        "providerErrorCodes": [
            {"provider": "facebook", "errorCode": 0, "errorMessage": "OK"},
            {"provider": "twitter", "errorCode": 403024, "errorMessage": "Provider limit reached", "errorDetails": "Limit reached: Status is a duplicate."},
        ],
    }
    server = serve(Reply(body=body))
    result = client(server.url).publish(call(enabledProviders=["facebook", "twitter"]))
    assert result.outcome is Outcome.PARTIAL
    assert result.outcome.exit_code == 3
    twitter = result.providers[1]
    assert (twitter.provider, twitter.status, twitter.error_code) == ("twitter", Status.FAILED, 403024)
    assert twitter.error_details == "Limit reached: Status is a duplicate."
    assert result.failed_providers() == ["twitter"]
    assert result.posted_providers() == ["facebook"]
    # the headline names the real reason, the server's details, not only the code's message
    assert result.headline == "Published to 1 network(s); 1 failed: Twitter: Limit reached: Status is a duplicate. (403024)"


def test_a_call_refused_by_its_networks_names_the_others_not_connected(serve, client):
    """The call fails when every network tried fails (contract section 4), and the entries name
    those networks: the others were not connected, not refused."""
    server = serve(Reply(body={
        **error_body(403005, "Unauthorized user", "Facebook session expired"),
        "providerErrorCodes": [{"provider": "facebook", "errorCode": 403005, "errorMessage": "Unauthorized user",
                                "errorDetails": "Facebook session expired"}],
    }))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.FAILED
    assert statuses(result)["facebook"] == "failed"
    assert {p.error_message for p in result.providers[1:]} == {"not connected for this user"}
    assert result.headline == "Not published: Facebook: Facebook session expired (403005)"


def test_jsonp_body(serve, client):
    body = "handle_it(" + json.dumps(OK_BODY) + ");\n"
    server = serve(Reply(body=body, content_type="text/javascript"))
    result = client(server.url).publish(call(format="jsonp", callback="handle_it"))
    assert server.requests[0].params["format"] == "jsonp"
    assert server.requests[0].params["callback"] == "handle_it"
    assert result.outcome is Outcome.POSTED
    assert result.response == OK_BODY
    assert result.raw == body


def test_text_javascript_content_type_is_read_as_utf8(serve, client):
    # the live service labels its JSON text/javascript without a charset; it is UTF-8 all the same
    body = error_body(403007, "Permission refusée", "publication désactivée — 禁止")
    server = serve(Reply(body=body, content_type="text/javascript"))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_message == "Permission refusée"
    assert result.error_details == "publication désactivée — 禁止"


def test_named_charset_is_honoured_and_an_unknown_one_does_not_raise(serve, client):
    body = json.dumps(error_body(403007, "Permission refusée")).replace("\\u00e9", "é")
    server = serve(
        Reply(body=body.encode("latin-1"), content_type="text/javascript; charset=ISO-8859-1"),
        Reply(body=error_body(403007, "refusée"), content_type="application/json; charset=no-such-charset"),
    )
    c = client(server.url)
    assert c.publish(call()).error_message == "Permission refusée"
    result = c.publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_message == "refusée"


def test_gzip_body(serve, client):
    server = serve(Reply(body=OK_BODY, gzip=True, content_type="text/javascript"))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.POSTED
    assert result.response == OK_BODY


def test_corrupt_gzip_body_is_unknown(serve, client):
    server = serve(Reply(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message
    assert server.request_count == 1


# --- HTTP errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, body, content_type, outcome, code, message",
    [
        (400, error_body(400006, "Invalid parameter value", "userAction", 400), "application/json", Outcome.FAILED, 400006, "Invalid parameter value"),
        (400, b"", None, Outcome.FAILED, None, "the server answered HTTP 400 with an empty body"),
        (403, error_body(403003, "Invalid request signature", status=403), "application/json", Outcome.FAILED, 403003, "Invalid request signature"),
        (403, b"Forbidden", "text/plain", Outcome.FAILED, None, "the server answered HTTP 403 with something that is not JSON"),
        (500, error_body(500001, "General server error", status=500), "application/json", Outcome.UNKNOWN, 500001, "General server error"),
        (500, b"", None, Outcome.UNKNOWN, None, "the server answered HTTP 500 with an empty body"),
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", Outcome.UNKNOWN, None, "the server answered HTTP 502 with an HTML page instead of JSON"),
        (502, b"", None, Outcome.UNKNOWN, None, "the server answered HTTP 502 with an empty body"),
        (503, error_body(403048, "Api rate limit exceeded", status=503), "application/json", Outcome.UNKNOWN, 403048, "Api rate limit exceeded"),
        (503, b"Service Unavailable", "text/plain", Outcome.UNKNOWN, None, "the server answered HTTP 503 with something that is not JSON"),
    ],
)
def test_http_error_status(serve, client, status, body, content_type, outcome, code, message):
    server = serve(Reply(status=status, body=body, content_type=content_type))
    result = client(server.url).publish(call(enabledProviders=["facebook", "twitter"]))
    assert result.outcome is outcome
    assert result.http_status == status
    assert result.error_code == code
    assert result.error_message == message
    expected = "unknown" if outcome is Outcome.UNKNOWN else "not_attempted"
    assert statuses(result)["facebook"] == expected
    assert statuses(result)["twitter"] == expected
    if code is not None:
        assert statuses(result)["linkedin"] == "not_attempted"
    assert result.sent == 1
    server.stop()
    assert server.request_count == 1


@pytest.mark.parametrize("status", [200, 500])
def test_html_error_page(serve, client, status):
    page = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Something broke</body></html>"
    server = serve(Reply(status=status, body=page, content_type="text/html; charset=utf-8"))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == f"the server answered HTTP {status} with an HTML page instead of JSON"
    assert result.raw == page.decode()
    assert result.headline.startswith("Outcome unknown: ")
    assert set(statuses(result).values()) == {"unknown"}


def test_xml_answer(serve, client):
    server = serve(Reply(body=b'<?xml version="1.0"?><socialize.publishUserActionResponse/>', content_type="text/xml"))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the server answered HTTP 200 with XML instead of JSON"


def test_json_without_error_code(serve, client):
    server = serve(Reply(body={"hello": "world"}))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the server answered HTTP 200 with JSON that has no errorCode"


def test_empty_body(serve, client):
    server = serve(Reply(body=b""))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the server answered HTTP 200 with an empty body"
    assert result.raw == ""


def test_truncated_body(serve, client):
    full = json.dumps(OK_BODY).encode()
    server = serve(Reply(body=full[:40], declared_length=len(full)))
    result = client(server.url).publish(call(enabledProviders=["sina"]))
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message.startswith("the answer was cut off (")
    assert result.error_message.endswith("the post may be live")
    assert statuses(result) == {"sina": "unknown"}


def test_truncated_json_with_honest_length(serve, client):
    server = serve(Reply(body=b'{"errorCode": 0, "providerPostIDs": {"face'))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the server's answer (HTTP 200) was cut off: the JSON is incomplete"


def test_dropped_connection(serve, client):
    server = serve(Drop())
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message.startswith("the connection dropped before the answer arrived")
    assert result.error_message.endswith("the post may be live")
    assert set(statuses(result).values()) == {"unknown"}
    assert result.headline.endswith("Check the networks before publishing again.")


def test_timeout(serve, client):
    server = serve(Hang(10))
    result = client(server.url, timeout=0.5).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "no answer within 0.5 s (timeout); the post may be live"
    assert set(statuses(result).values()) == {"unknown"}


def test_refused_connection(client):
    sock, port = refused_port()
    try:
        result = client(f"http://127.0.0.1:{port}", timeout=0.5).publish(call(enabledProviders=["facebook"]))
    finally:
        sock.close()
    assert result.outcome is Outcome.FAILED
    # the reason in plain words, not urllib3's ("_HTTPConnection(host=...): Failed to establish...")
    assert result.error_message == f"could not connect to 127.0.0.1:{port}: connection refused; nothing was sent"
    assert result.headline == f"Not published: {result.error_message}"
    assert result.error_details == f"[Errno {errno.ECONNREFUSED}] Connection refused"  # the OS's own words, kept for --json
    assert statuses(result) == {"facebook": "not_attempted"}
    assert result.providers[0].error_message == "nothing was sent"
    assert result.sent == 0 and result.never_sent


@pytest.mark.parametrize(("error", "said"), [
    (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "name not found"),
    (socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"), "name lookup failed for now (no answer from DNS)"),
    (OSError(errno.EHOSTUNREACH, "No route to host"), "no route to the host"),
    (OSError(errno.ENETUNREACH, "Network is unreachable"), "the network is unreachable"),
    (OSError(errno.ETIMEDOUT, "Connection timed out"), "timed out"),
    (OSError(errno.ENOBUFS, "No buffer space available"), "no buffer space available"),  # any other: the OS's words
])
def test_why_a_connection_failed_is_said_in_plain_words(error, said):
    # shaped as requests raises it: its error wraps urllib3's, caused by the socket's
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    try:
        try:
            raise error
        except OSError as cause:
            raise NewConnectionError(None, f"Failed to establish a new connection: {cause}") from cause
    except NewConnectionError as inner:
        wrapped = requests.exceptions.ConnectionError(MaxRetryError(None, "/", inner))
    assert _why_no_connection(wrapped) == said


def test_redirect_is_not_followed(serve, client):
    server = serve(Reply(status=302, headers={"Location": "http://127.0.0.1:9/elsewhere"}, body=b""))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.http_status == 302
    server.stop()
    assert server.request_count == 1


# --- never resent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(Hang(10), id="timeout"),
        pytest.param(Drop(), id="drop"),
        pytest.param(Reply(status=500, body=b""), id="http-500"),
        pytest.param(Reply(status=502, body=b"Bad Gateway", content_type="text/plain"), id="http-502"),
        pytest.param(Reply(status=503, body=error_body(500001, "General server error", status=503)), id="http-503"),
        pytest.param(Reply(body=error_body(500001, "General server error")), id="500001"),
        pytest.param(Reply(body=b'{"errorCode":0', declared_length=400), id="truncated"),
    ],
)
def test_unknown_outcomes_are_sent_exactly_once(serve, client, action):
    # the success waiting behind the fault would be taken by any resend
    server = serve(action, Reply(body=OK_BODY))
    result = client(server.url, timeout=0.5).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.sent == 1
    assert result.notes == []
    server.stop()  # also records any request still waiting in the backlog
    assert server.request_count == 1


def test_500001_providers_unknown(serve, client):
    server = serve(Reply(body=error_body(500001, "General server error")))
    result = client(server.url).publish(call(enabledProviders=["linkedin"]))
    assert result.outcome is Outcome.UNKNOWN
    assert result.outcome.exit_code == 4
    assert result.error_code == 500001
    assert statuses(result)["linkedin"] == "unknown"
    assert statuses(result)["facebook"] == "not_attempted"


@pytest.mark.parametrize("uid", ["demo-server-error", "demo-expired", "demo-partial"])
def test_http_status_codes_true_reports_each_network_as_the_default_does(sandbox, uid):
    # httpStatusCodes=true only moves the outcome into the HTTP status (the reference page:
    # "the HTTP status code in Gigya's response would reflect an error"); a 500001 then comes with
    # HTTP 500, and its networks' entries still say what each one did
    info = sandbox.info()
    results = {}
    for status_codes in (False, True):
        made = GigyaClient(Credentials(info["apiKey"], info["secret"], info["userKey"]), sandbox.url, timeout=5)
        draft = call(UID=uid, httpStatusCodes=status_codes)
        draft.userAction.userMessage = f"{uid} {status_codes}"  # not a duplicate of the first send
        results[status_codes] = made.publish(draft)
        made.close()
    plain, coded = results[False], results[True]
    assert plain.http_status == 200
    assert coded.http_status == (500 if uid == "demo-server-error" else 403 if uid == "demo-expired" else 200)
    assert coded.outcome is plain.outcome
    assert (coded.error_code, coded.error_message, coded.error_details) == (plain.error_code, plain.error_message, plain.error_details)
    def rows(result: PublishResult) -> list[tuple]:  # each post has its own ID: only whether there is one
        return [(p.provider, p.status, bool(p.post_id), p.error_code, p.error_message, p.error_details) for p in result.providers]

    assert rows(coded) == rows(plain)
    if uid == "demo-server-error":
        assert coded.outcome is Outcome.UNKNOWN
        assert coded.providers[0].error_code == 500001
        assert coded.providers[0].error_details == "Facebook returned an unexpected error"
        assert statuses(coded)["vkontakte"] == "not_attempted"


def test_a_5xx_with_a_network_that_says_posted_is_unknown_there(serve, client):
    body = {**error_body(500001, "General server error", status=500), "providerPostIDs": {"facebook": "fb-1"},
            "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}, {"provider": "twitter", "errorCode": 500001}]}
    server = serve(Reply(status=500, body=body))
    result = client(server.url).publish(call(enabledProviders=["facebook", "twitter", "linkedin"]))
    assert result.outcome is Outcome.UNKNOWN
    assert statuses(result) == {"facebook": "unknown", "twitter": "unknown", "linkedin": "not_attempted",
                                "vkontakte": "not_attempted", "renren": "not_attempted", "sina": "not_attempted"}
    assert result.providers[0].post_id == "fb-1"  # the ID to look for on Facebook
    assert result.providers[0].error_message == "its entry says posted, but the call failed with 500001"


# --- sent once more: 403002 and 301001 --------------------------------------------------------


def test_403002_corrects_the_clock_from_date_and_sends_once_more(serve, client):
    server_now = time.time() + 600
    server = serve(Reply(body=error_body(403002, "Request has expired"), date=server_now), Reply(body=OK_BODY))
    c = client(server.url)
    result = c.publish(call())
    assert result.outcome is Outcome.POSTED
    assert result.sent == 2
    assert len(result.notes) == 1
    assert result.notes[0].startswith("request expired: clock corrected by +")
    assert result.notes[0].endswith("sent once more")
    server.stop()
    assert server.request_count == 2
    first, second = (r.params for r in server.requests)
    assert abs(int(first["timestamp"]) - time.time()) < 60
    assert abs(int(second["timestamp"]) - server_now) <= 120
    assert int(second["timestamp"]) - int(first["timestamp"]) > 500
    assert first["nonce"] != second["nonce"]
    for params in (first, second):
        sig = params.pop("sig")
        assert signing.verify(SECRET, "POST", server.url + METHOD_PATH, params, sig)
    # the correction is kept for the next call
    assert 590 < c.clock_offset < 610


def test_403002_is_sent_once_more_only_once(serve, client):
    expired = Reply(body=error_body(403002, "Request has expired"), date=time.time() + 600)
    server = serve(expired, expired, Reply(body=OK_BODY))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 403002
    assert result.sent == 2
    server.stop()
    assert server.request_count == 2


def test_403002_without_date_is_not_resent(serve, client):
    server = serve(Reply(body=error_body(403002, "Request has expired")), Reply(body=OK_BODY))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 403002
    server.stop()
    assert server.request_count == 1


def wrong_dc(domain: str = "eu1.gigya.com") -> Reply:
    body = error_body(301001, "Invalid data center")
    body.update(apiDomain=domain, location=f"https://socialize.{domain}/socialize.publishUserAction")
    return Reply(body=body)


def test_301001_followed_once_to_the_named_data_center(serve, client):
    server = serve(wrong_dc(), Reply(body=OK_BODY))
    us1, eu1 = "https://socialize.us1.gigya.com", "https://socialize.eu1.gigya.com"
    session = forwarding_session(server.url, us1, eu1)
    c = client(us1, session=session, follow_data_center=True)
    result = c.publish(call())
    assert result.outcome is Outcome.POSTED
    assert result.sent == 2
    assert result.notes == ["the API key lives in data center eu1.gigya.com: switched to it and sent once more"]
    assert result.url == eu1 + METHOD_PATH
    assert c.base_url == eu1
    server.stop()
    assert server.request_count == 2
    assert [r.headers["x-original-url"] for r in server.requests] == [us1 + METHOD_PATH, eu1 + METHOD_PATH]
    # each request is signed for the URL it was meant for
    for request in server.requests:
        params = request.params
        sig = params.pop("sig")
        assert signing.verify(SECRET, "POST", request.headers["x-original-url"], params, sig)


def test_301001_followed_only_once(serve, client):
    server = serve(wrong_dc("eu1.gigya.com"), wrong_dc("au1.gigya.com"), Reply(body=OK_BODY))
    hosts = ["https://socialize.us1.gigya.com", "https://socialize.eu1.gigya.com", "https://socialize.au1.gigya.com"]
    c = client(hosts[0], session=forwarding_session(server.url, *hosts), follow_data_center=True)
    result = c.publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 301001
    server.stop()
    assert server.request_count == 2


@pytest.mark.parametrize("follow", [False, None])
def test_301001_not_followed_when_not_asked(serve, client, follow):
    # None: the default, which does not follow for a custom base URL such as this loopback one
    server = serve(wrong_dc(), Reply(body=OK_BODY))
    result = client(server.url, follow_data_center=follow).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 301001
    assert result.error_message == "Invalid data center"
    server.stop()
    assert server.request_count == 1


def test_301001_with_a_bad_domain_is_not_followed(serve, client):
    server = serve(wrong_dc("evil.example/../x"), Reply(body=OK_BODY))
    us1 = "https://socialize.us1.gigya.com"
    result = client(us1, session=forwarding_session(server.url, us1), follow_data_center=True).publish(call())
    assert result.outcome is Outcome.FAILED
    server.stop()
    assert server.request_count == 1


# --- secrets ----------------------------------------------------------------------------------


def test_secret_over_plain_http_is_refused_before_sending(serve, client):
    server = serve(Reply(body=OK_BODY))
    result = client(server.url, auth=AuthMode.SECRET).publish(call(enabledProviders=["facebook"]))
    assert result.outcome is Outcome.FAILED
    assert result.error_code == 403006
    assert "plain http" in result.error_message
    assert result.sent == 0
    assert statuses(result) == {"facebook": "not_attempted"}
    assert result.request_params["secret"] == REDACTED
    server.stop()
    assert server.request_count == 0
    assert SECRET not in json.dumps(result.to_json())


def test_secret_over_https_is_sent_unsigned(serve, client):
    server = serve(Reply(body=OK_BODY))
    host = "https://socialize.us1.gigya.com"
    result = client(host, auth=AuthMode.SECRET, session=forwarding_session(server.url, host)).publish(call())
    assert result.outcome is Outcome.POSTED
    params = server.requests[0].params
    assert params["secret"] == SECRET
    assert params["userKey"] == USER_KEY
    assert not {"sig", "timestamp", "nonce"} & set(params)
    assert result.request_params["secret"] == REDACTED
    assert SECRET not in json.dumps(result.to_json())


def test_bad_base64_secret_is_refused_before_sending(serve, client):
    bad = "not base64 at all!!"
    server = serve(Reply(body=OK_BODY))
    result = client(server.url, secret=bad).publish(call())
    assert result.outcome is Outcome.FAILED
    assert result.sent == 0
    assert "not valid base64" in result.error_message
    assert bad not in result.error_message
    server.stop()
    assert server.request_count == 0


@pytest.mark.parametrize("mode", [AuthMode.SIGNED, AuthMode.SECRET])
@pytest.mark.parametrize(
    "answer",
    [
        Reply(body=OK_BODY),
        Reply(body=error_body(403003, "Invalid request signature")),
        Reply(status=500, body=b"oops", content_type="text/plain"),
        Drop(),
    ],
    ids=["ok", "403003", "500", "drop"],
)
def test_secret_never_shown(serve, client, caplog, mode, answer):
    caplog.set_level(logging.DEBUG)
    server = serve(answer)
    host = "https://socialize.us1.gigya.com"
    c = client(host, auth=mode, session=forwarding_session(server.url, host))
    c.session.hooks["response"].append(lambda r, *a, **k: logging.getLogger("test.hook").debug("answer %s %s", r.status_code, r.text))
    result = c.publish(call())
    prepared = c.prepare(call().to_params())
    shown = [
        repr(c),
        str(c),
        repr(c.credentials),
        str(c.credentials),
        json.dumps(result.to_json()),
        repr(result),
        result.headline,
        prepared.curl(),
        repr(prepared.redacted()),
        repr(prepared),
        str(prepared),
        str(c.explain_signature(prepared)) if mode is AuthMode.SIGNED else "",
    ]
    for text in shown:
        assert SECRET not in text
    assert REDACTED in repr(c.credentials)
    assert "--data-urlencode" in prepared.curl()
    if mode is AuthMode.SECRET:
        assert f"secret={REDACTED}" in prepared.curl()
        assert result.request_params["secret"] == REDACTED
    else:
        assert f"sig={REDACTED}" in prepared.curl()
    assert caplog.records, "urllib3 logs at DEBUG; the check below must see something"
    for record in caplog.records:
        assert SECRET not in record.getMessage()
    assert SECRET not in caplog.text


def test_all_providers_listed_in_order_on_unknown(serve, client):
    server = serve(Drop())
    result = client(server.url).publish(call())
    assert [p.provider for p in result.providers] == list(PROVIDERS)


# --- the deadline, the size limit, sent or not ------------------------------------------------

#: how far past its timeout a call may end (an upper bound only: loaded CI machines are slow)
MARGIN_S = 3.0


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(Drip(Reply(body=OK_BODY).encode(), every=0.1), id="drip-headers"),
        pytest.param(Drip(json.dumps(OK_BODY).encode(), every=0.1, lead=http_head(200, {"Content-Length": "400"})), id="drip-body"),
        pytest.param(Endless.chunked(b"x", every=0.05), id="endless-slow"),
    ],
)
def test_a_server_that_answers_slowly_is_cut_off_at_the_deadline(serve, client, action):
    server = serve(action)
    started = time.monotonic()
    result = client(server.url, timeout=0.5).publish(call())
    assert time.monotonic() - started < 0.5 + MARGIN_S
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "no answer within 0.5 s (timeout); the post may be live"
    assert result.sent == 1 and not result.never_sent


def test_an_answer_past_the_size_limit_is_not_read_and_its_start_is_kept(serve, client):
    server = serve(Endless.chunked())
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the answer was longer than 4 MB and was not read to its end; the post may be live"
    assert MAX_ANSWER_BYTES == 4 * 1024 * 1024
    assert result.http_status == 200
    assert result.raw.startswith('{"errorCode": 0, "padding": "xxx')
    assert result.raw.endswith("more characters not kept]")


def test_a_stalled_tls_handshake_sent_nothing(serve, client):
    server = serve(Mute())
    started = time.monotonic()
    result = client(f"https://127.0.0.1:{server.port}", timeout=0.5).publish(call(enabledProviders=["facebook"]))
    assert time.monotonic() - started < 0.5 + MARGIN_S
    assert result.outcome is Outcome.FAILED
    assert result.error_message == f"could not connect to 127.0.0.1:{server.port} within 0.5 s; nothing was sent"
    assert result.sent == 0 and result.never_sent
    assert statuses(result) == {"facebook": "not_attempted"}


def test_a_session_without_our_transport_cannot_tell_not_sent(client):
    # only Transport sees whether a byte of the request left; without it, a failure may have posted
    sock, port = refused_port()
    try:
        result = client(f"http://127.0.0.1:{port}", session=requests.Session()).publish(call())
    finally:
        sock.close()
    assert result.outcome is Outcome.UNKNOWN
    assert not result.never_sent


def test_the_watchdog_does_nothing_once_the_answer_is_read():
    with Exchange(0.05) as exchange:
        assert exchange.finish()
        time.sleep(0.2)
        assert not exchange.expired


def test_each_exchange_expires_at_its_own_deadline():
    """Exchanges in progress together are each held to their own deadline: a later one with an
    earlier deadline expires first, and one that finished in time is left alone."""
    with Exchange(5.0) as slow, Exchange(0.1) as fast, Exchange(0.1) as done:
        assert done.finish()
        started = time.monotonic()
        while not fast.expired and time.monotonic() - started < 3.0:
            time.sleep(0.01)
        assert fast.expired and not slow.expired and not done.expired


def test_one_watchdog_thread_serves_every_exchange():
    for _ in range(20):
        with Exchange(30.0) as exchange:
            exchange.finish()
    watchdogs = [thread for thread in threading.enumerate() if thread.name == "composer-watchdog"]
    assert len(watchdogs) == 1


def test_a_deadline_years_away_does_not_stop_the_watchdog_for_the_others():
    with Exchange(1e10) as far, Exchange(0.1) as near:
        started = time.monotonic()
        while not near.expired and time.monotonic() - started < 3.0:
            time.sleep(0.01)
        assert near.expired and not far.expired


def test_what_the_client_read_in_an_answer_reaches_the_result(serve, client):
    """A note the reading of the answer made (here: post IDs that are not an object) is kept
    beside the client's own notes, not replaced by them."""
    server = serve(Reply(body={**OK_BODY, "providerPostIDs": ["fb-1"]}))
    result = client(server.url).publish(call())
    assert any("providerPostIDs is not an object" in note for note in result.notes), result.notes


def test_a_refusal_at_a_server_error_status_is_not_sent_once_more(serve, client):
    expired = Reply(status=503, body=error_body(403002, "Request has expired", status=503), date=time.time() + 600)
    server = serve(expired, Reply(body=OK_BODY))
    result = client(server.url).publish(call())
    assert result.outcome is Outcome.UNKNOWN
    server.stop()
    assert server.request_count == 1


# --- one rule for answers ---------------------------------------------------------------------


def parse(body, status: int = 200, eligible=PROVIDERS) -> PublishResult:
    return parse_response(status, "application/json", body if isinstance(body, str) else json.dumps(body), eligible)


def test_success_without_a_network_is_unknown():
    result = parse({"errorCode": 0, "errorMessage": "OK"})
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_code == 0
    assert result.error_message == "the server reported success (errorCode 0) but no network's entry says it posted"
    assert set(statuses(result).values()) == {"unknown"}
    assert result.providers[0].error_message == "the server reported success without saying which network posted; this one may have"


def test_a_network_without_an_entry_was_not_connected_only_when_every_entry_was_read():
    readable = parse({"errorCode": 0, "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}]}, eligible=["facebook", "twitter"])
    assert (readable.outcome, statuses(readable)["twitter"]) == (Outcome.POSTED, "not_attempted")
    assert readable.providers[1].error_message == "not connected for this user"
    odd = parse({"errorCode": 0, "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}, {"provider": "FB", "errorCode": 0}]},
                eligible=["facebook", "twitter"])
    assert odd.outcome is Outcome.UNKNOWN
    assert statuses(odd) == {"facebook": "posted", "twitter": "unknown", "linkedin": "not_attempted", "vkontakte": "not_attempted",
                             "renren": "not_attempted", "sina": "not_attempted", "FB": "unknown"}
    assert odd.providers[-1].error_message == 'not a network of the contract; the answer says {"provider": "FB", "errorCode": 0}'
    assert odd.error_message == "the answer does not say clearly what happened on twitter, FB"


def test_a_server_error_with_entries_names_the_networks_it_tried():
    entries = [{"provider": "facebook", "errorCode": 500001}, {"provider": "twitter", "errorCode": 403024}]
    result = parse({"errorCode": 500001, "errorMessage": "General server error", "providerErrorCodes": entries}, eligible=["facebook", "twitter", "sina"])
    assert result.outcome is Outcome.UNKNOWN
    assert statuses(result) == {"facebook": "unknown", "twitter": "failed", "linkedin": "not_attempted", "vkontakte": "not_attempted",
                                "renren": "not_attempted", "sina": "not_attempted"}


def test_http_5xx_overrides_what_the_body_says():
    result = parse({"errorCode": 0, "providerErrorCodes": [{"provider": "facebook", "errorCode": 0}], "providerPostIDs": {"facebook": "1"}},
                   status=500, eligible=["facebook"])
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == "the server answered HTTP 500 with errorCode 0"
    assert statuses(result)["facebook"] == "unknown"
    assert result.posted_providers() == []


@pytest.mark.parametrize(
    "body, reason",
    [
        ('{"errorCode": NaN}', "it has NaN, which JSON does not allow"),
        ('{"errorCode": 1e400}', "it has the number 1e400, too large for any number"),
        ('{"errorCode": 123456789012345678901}', "it has a number of 21 digits"),
        ('{"errorCode": 0, "errorCode": 0}', "the key 'errorCode' appears twice in one object"),
        ("[" * 33 + "]" * 33, "it nests more than 32 levels deep"),
        ("[]", "it is a JSON list, not an object"),
    ],
)
def test_json_outside_the_contract_is_unknown_and_says_why(body, reason):
    result = parse(body)
    assert result.outcome is Outcome.UNKNOWN
    assert result.error_message == f"the server answered HTTP 200 with JSON the contract does not describe: {reason}"
    assert result.raw == body


def test_nesting_inside_strings_does_not_count():
    result = parse('{"errorCode": 403005, "errorMessage": "' + "[{" * 100 + '"}')
    assert (result.outcome, result.error_message) == (Outcome.FAILED, "[{" * 100)
