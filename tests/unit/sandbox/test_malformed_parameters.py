"""Fuzz-style: malformed values for every parameter, sent over loopback to a real sandbox server.

Every answer must be the contract's (gigya-api.md section 4): the errorCode a value of that kind
earns, 400006 naming the parameter for a value that cannot be read, and never an HTTP 500, a
"failed unexpectedly" or a logged error.
"""

from __future__ import annotations

import http.client as http_client
import json
import logging
import re
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from composer.core.call.model import MAX_JSON_DEPTH as MAX_DEPTH
from composer.core.contract import (
    CODE_INVALID_API_KEY,
    CODE_INVALID_PARAMETER,
    CODE_INVALID_SIGNATURE,
    CODE_OK,
    CODE_UNAUTHORIZED_USER,
    ERROR_MESSAGES,
    PROVIDERS,
)
from composer.core.wire import signing
from composer.sandbox.server import SandboxServer
from composer.sandbox.service import BODY_MAX

API_KEY = "3_sandbox"
USER_KEY = "sandbox-user-key"
PATH = "/socialize.publishUserAction"
#: an enormous value that still fits the body cap with the rest of the call, percent-encoded
ENORMOUS = 3 * 1024 * 1024
assert ENORMOUS < BODY_MAX


# --- the cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    param: str
    label: str
    value: str | bytes  # bytes: sent as they are (percent-encoded), whatever they decode to
    code: int
    #: what errorDetails must contain for a refused value (default: the parameter's name)
    named: str = ""

    @property
    def id(self) -> str:
        return f"{self.param}-{self.label}"


USER_ACTION_PARAMS = ["userAction", *(f"{provider}UserAction" for provider in PROVIDERS)]
JSON_PARAMS = [*USER_ACTION_PARAMS, "actionAttributes", "userLocation"]

#: nesting far beyond Python's recursion limit (1000 by default), where json.loads gives up
DEEP = 10 * sys.getrecursionlimit()

#: JSON text that no JSON-valued parameter accepts, whatever object it should hold
NOT_READABLE_JSON: dict[str, str] = {
    "deep-arrays": "[" * DEEP + "]" * DEEP,
    "deep-objects": '{"a":' * DEEP + "1" + "}" * DEEP,
    "deep-unclosed": "[" * DEEP,
    "one-level-too-deep": '{"title": "t", "extra": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}",
    "huge-int": '{"title": ' + "9" * 5000 + "}",  # Python's int() refuses over 4300 digits
    "huge-negative-int": '{"title": -' + "9" * 5000 + "}",
    "int-beyond-double": '{"title": 1' + "0" * 309 + "}",
    "bare-huge-int": "9" * 5000,
    "float-overflow": '{"title": 1e400}',
    "negative-float-overflow": '{"title": -1e400}',
    "nan": '{"title": NaN}',
    "infinity": '{"title": Infinity}',
    "negative-infinity": '{"title": -Infinity}',
    "bare-nan": "NaN",
    "lone-surrogate-value": '{"title": "\\ud800"}',
    "lone-surrogate-key": '{"\\udc00": "x"}',
    "not-json": "{",
    "python-dict": "{'title': 'x'}",
    "trailing-text": '{"title": "x"} and more',
    "nul": "\x00",
    "list": "[]",
    "text": '"a text"',
    "number": "123",
    "true": "true",
}

#: text that is not UTF-8 once percent-decoded
NOT_UTF8: dict[str, bytes] = {
    "ff": b"\xff",
    "bad-continuation": b"\xc3\x28",
    "encoded-surrogate": b"\xed\xa0\x80",
    "beyond-unicode": b"\xf4\x90\x80\x80",
    "truncated": b"\xe2\x82",
    "after-text": b'{"title": "ok\x80"}',
}

#: ordinary parameters that take any text: odd text is a name nobody has, a tag, ...
ODD_TEXT: dict[str, str] = {
    "brackets": "[" * DEEP,
    "huge-int": "9" * 5000,
    "nan": "NaN",
    "enormous": "x" * ENORMOUS,
}


def _cases() -> Iterator[Case]:
    for param in JSON_PARAMS:
        for label, value in NOT_READABLE_JSON.items():
            yield Case(param, label, value, CODE_INVALID_PARAMETER)
    for param in ("userAction", "actionAttributes", "userLocation"):  # one of each kind: each takes half a second to sign
        yield Case(param, "enormous-unterminated", '{"title": "' + "x" * ENORMOUS, CODE_INVALID_PARAMETER)
        yield Case(param, "enormous-text", json.dumps("x" * ENORMOUS), CODE_INVALID_PARAMETER)
        yield Case(param, "enormous-object", json.dumps({"title": "x" * ENORMOUS}), CODE_INVALID_PARAMETER)
    for param in USER_ACTION_PARAMS:
        # the model also reads these two fields given as JSON text: the same limits apply there
        yield Case(param, "deep-nested-text", json.dumps({"actionLinks": "[" * DEEP}), CODE_INVALID_PARAMETER, f"{param}.actionLinks")
        yield Case(param, "nan-nested-text", json.dumps({"mediaItems": '[{"src": NaN}]'}), CODE_INVALID_PARAMETER, f"{param}.mediaItems")
        yield Case(param, "huge-int-nested-text", json.dumps({"mediaItems": "[" + "9" * 5000 + "]"}), CODE_INVALID_PARAMETER, f"{param}.mediaItems")
        yield Case(param, "title-list", '{"title": []}', CODE_INVALID_PARAMETER, f"{param}.title")
        yield Case(param, "media-object", '{"mediaItems": {}}', CODE_INVALID_PARAMETER, f"{param}.mediaItems")
        yield Case(param, "link-number", '{"actionLinks": [1]}', CODE_INVALID_PARAMETER, f"{param}.actionLinks[0]")
    for label, value in {"object-value": '{"a": {"b": 1}}', "true-value": '{"a": true}', "four-values": '{"a": ["1", "2"], "b": ["3", "4"]}'}.items():
        yield Case("actionAttributes", label, value, CODE_INVALID_PARAMETER)
    for label, value in {
        "latitude-list": '{"latitude": [], "longitude": 0}',
        "latitude-word": '{"latitude": "north", "longitude": 0}',
        "latitude-huge": '{"latitude": 1e308, "longitude": 0}',
    }.items():
        yield Case("userLocation", label, value, CODE_INVALID_PARAMETER)

    for label, value in {"101": "x" * 101, **ODD_TEXT}.items():
        yield Case("cid", label, value, CODE_INVALID_PARAMETER if len(value) > 100 else CODE_OK)
    for param in ("shortURLs", "format", "timestamp"):
        for label, value in {"word": "sometimes", "negative": "-1", "float-overflow": "1e400", **ODD_TEXT}.items():
            yield Case(param, label, value, CODE_INVALID_PARAMETER)
    for label, value in {"word": "yes", "one": "1", "brackets": "[[[", "long": "x" * 100_000}.items():
        yield Case("httpStatusCodes", label, value, CODE_INVALID_PARAMETER)
    for label, value in {"digit-first": "1cb", "space": "a b", "call": "alert(1)", "brackets": "[" * 1000}.items():
        yield Case("callback", label, value, CODE_INVALID_PARAMETER)
    for label, value in ODD_TEXT.items():
        yield Case("UID", label, value, CODE_UNAUTHORIZED_USER)
        yield Case("enabledProviders", label, value, CODE_INVALID_PARAMETER)  # no provider left
        yield Case("disabledProviders", label, value, CODE_OK)  # disables no provider of the user
        yield Case("tags", label, value, CODE_OK)
        yield Case("apiKey", label, value, CODE_INVALID_API_KEY)
        yield Case("userKey", label, value, CODE_UNAUTHORIZED_USER)
        yield Case("sig", label, value, CODE_INVALID_SIGNATURE)
        yield Case("nonce", label, value, CODE_OK)

    every_param = [*JSON_PARAMS, "UID", "enabledProviders", "disabledProviders", "shortURLs", "tags", "cid", "format"]
    every_param += ["callback", "httpStatusCodes", "apiKey", "userKey", "timestamp", "nonce", "sig"]
    for param in every_param:
        for label, raw in NOT_UTF8.items():
            # checked before anything else: not even the signature can be checked over such text
            yield Case(param, f"not-utf8-{label}", raw, CODE_INVALID_PARAMETER)


CASES = list(_cases())


# --- sending --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """One server for every case (a fresh one each would cost more than the cases)."""
    with SandboxServer() as running:
        yield running


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture(autouse=True)
def no_logged_errors(caplog) -> Iterator[None]:
    """The sandbox logs a warning when the call model fails on a value the limits let through,
    and an error for a failure of its own: neither may happen."""
    caplog.set_level(logging.WARNING, logger="composer")
    yield
    assert [record.getMessage() for record in caplog.records if record.name.startswith("composer")] == []


def _call(case: Case) -> dict[str, str | bytes]:
    """A valid call with the case's value in place of one parameter (added when it is optional)."""
    title = f"fuzz {uuid.uuid4().hex}"  # never a duplicate of an earlier case's post
    params: dict[str, str | bytes] = {
        "apiKey": API_KEY,
        "userKey": USER_KEY,
        "timestamp": str(int(time.time())),
        "nonce": uuid.uuid4().hex,
        "UID": "demo-all-ok",
        "userAction": json.dumps({"title": title, "linkBack": "https://example.com/a"}),
        "format": "jsonp" if case.param == "callback" else "json",
    }
    params[case.param] = case.value
    return params


def _signed(server: SandboxServer, params: dict[str, str | bytes], method: str = "POST") -> dict[str, str | bytes]:
    """``params`` with ``sig`` (a fuzzed ``sig`` replaces it).  Bytes that are not UTF-8 are signed
    as read with U+FFFD: the server refuses them before it checks a signature."""
    readable = {key: value.decode("utf-8", "replace") if isinstance(value, bytes) else value for key, value in params.items()}
    out = dict(params)
    if "sig" not in params:
        out["sig"] = signing.sign(server.info()["secret"], method, server.url + PATH, readable)
    return out


def _answer(text: str) -> dict[str, Any]:
    """The response object of a JSON or JSONP answer."""
    wrapped = re.fullmatch(r"[\w$.]+\((.*)\);", text, re.DOTALL)
    return json.loads(wrapped.group(1) if wrapped else text)


def assert_contract_answer(status: int, text: str, case: Case) -> None:
    assert status == 200, text[:300]  # httpStatusCodes is not true: every outcome answers 200
    assert "failed unexpectedly" not in text
    body = _answer(text)
    assert body["errorCode"] == case.code, body.get("errorDetails", "")[:300]
    expected_status = 200 if case.code == CODE_OK else case.code // 1000
    assert body["statusCode"] == expected_status and body["statusReason"] == HTTPStatus(expected_status).phrase
    assert re.fullmatch(r"[0-9a-f]{32}", body["callId"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["time"])
    if case.code == CODE_OK:
        assert "errorMessage" not in body and body["providerPostIDs"]
        return
    assert body["errorMessage"] == ERROR_MESSAGES[case.code]
    assert body["errorDetails"]
    if case.code == CODE_INVALID_PARAMETER:
        assert (case.named or case.param) in body["errorDetails"], body["errorDetails"][:300]


# --- the tests ------------------------------------------------------------------------------------


def test_every_parameter_has_cases():
    fuzzed = {case.param for case in CASES}
    assert fuzzed >= {*JSON_PARAMS, "UID", "enabledProviders", "disabledProviders", "tags", "cid", "shortURLs", "format"}
    assert fuzzed >= {"callback", "httpStatusCodes", "apiKey", "userKey", "timestamp", "nonce", "sig"}
    assert len(CASES) >= 400


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_malformed_value_gets_a_contract_answer(server, http, case):
    body = urlencode(_signed(server, _call(case)))
    assert len(body) <= BODY_MAX
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with http.post(server.url + PATH, data=body, headers=form) as response:
        assert_contract_answer(response.status_code, response.text, case)


@pytest.mark.parametrize("label", list(NOT_UTF8))
def test_a_query_string_that_is_not_utf8_names_the_parameter(server, label):
    case = Case("userAction", label, NOT_UTF8[label], CODE_INVALID_PARAMETER)
    query = urlencode(_signed(server, _call(case), method="GET"))
    connection = http_client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", f"{PATH}?{query}")
        response = connection.getresponse()
        assert_contract_answer(response.status, response.read().decode("utf-8"), case)
    finally:
        connection.close()


@pytest.mark.parametrize("where", ["body", "query"])
def test_raw_bytes_that_are_not_utf8_name_the_parameter(server, where):
    """Bytes sent as they are, not percent-encoded: read the same way."""
    case = Case("UID", "raw", b"", CODE_INVALID_PARAMETER)
    form = urlencode(_signed(server, _call(case))).encode("ascii").replace(b"UID=", b"UID=\xff\xfe", 1)
    if where == "body":
        head = f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        request = head.encode("ascii") + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(form) + form
    else:
        request = b"GET " + PATH.encode("ascii") + b"?" + form + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
        client.sendall(request)
        answer = _read_to_end(client)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert_contract_answer(int(head.split()[1]), body.decode("utf-8"), case)


def test_a_parameter_name_that_is_not_utf8_is_named_percent_encoded(server, http):
    case = Case("%FF%FE", "name", "1", CODE_INVALID_PARAMETER)
    body = urlencode(_signed(server, _call(Case("cid", "", "c", CODE_OK)))) + "&%FF%FE=1"
    with http.post(server.url + PATH, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}) as response:
        assert_contract_answer(response.status_code, response.text, case)


def test_values_at_the_limits_are_accepted(server, http):
    """The limits refuse only what is past them: nesting of exactly MAX_DEPTH levels, the largest
    double, a non-BMP character written as a surrogate pair."""
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # inside the UserAction object: MAX_DEPTH in all
    action = '{"title": "limits \\ud83d\\ude00", "linkBack": "https://example.com/a", "extra": %s, "big": %d}' % (nested, int(1.7976931348623157e308))
    params = _call(Case("userAction", "limits", action, CODE_OK))
    params["userLocation"] = '{"latitude": -90.0, "longitude": 1.8e2}'
    params["actionAttributes"] = '{"n": 12345678901234567890}'
    with http.post(server.url + PATH, data=_signed(server, params)) as response:
        assert_contract_answer(response.status_code, response.text, Case("userAction", "limits", action, CODE_OK))
    with http.get(server.url + "/sandbox/posts") as listed:
        post = listed.json()["posts"][-1]
    assert post["userAction"]["title"] == "limits \U0001f600"
    assert post["actionAttributes"] == {"n": 12345678901234567890}


def _read_to_end(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)
