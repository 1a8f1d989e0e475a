"""Requests that are not HTTP the sandbox serves, and clients too slow to send one, over raw
sockets on loopback: each gets its answer and its connection closed at once or at the deadline,
never held for long.  Time bounds are generous upper limits, far from what the server needs."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from composer.sandbox.server import REQUEST_TIMEOUT_S, SandboxServer
from composer.sandbox.service import BODY_MAX

#: "at once": far more than the server needs on loopback, far less than any timeout it has
AT_ONCE_S = 3.0
#: the short request timeout of the servers that test it
SHORT_TIMEOUT_S = 0.5


@pytest.fixture(autouse=True)
def no_logged_errors(caplog) -> Iterator[None]:
    caplog.set_level(logging.WARNING, logger="composer")
    yield
    assert [record.getMessage() for record in caplog.records if record.name.startswith("composer")] == []


@pytest.fixture
def quick_server() -> Iterator[SandboxServer]:
    """A server that gives a client SHORT_TIMEOUT_S to send a request."""
    with SandboxServer(request_timeout_s=SHORT_TIMEOUT_S) as server:
        yield server


class Answer:
    """What came back on a connection until the server closed it."""

    def __init__(self, raw: bytes, closed_after_s: float):
        self.raw = raw
        self.closed_after_s = closed_after_s
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("iso-8859-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split()[1]) if raw else 0
        self.headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)

    def json(self) -> dict[str, Any]:
        assert self.headers["Content-Type"] == "application/json; charset=utf-8"
        assert int(self.headers["Content-Length"]) == len(self.body)
        return json.loads(self.body)


def connect(server: SandboxServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def read_until_closed(client: socket.socket, started: float) -> Answer:
    chunks = []
    try:
        while chunk := client.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass  # closed with bytes of ours still unread: a reset, after the answer
    return Answer(b"".join(chunks), time.monotonic() - started)


def exchange(server: SandboxServer, data: bytes) -> Answer:
    with connect(server) as client:
        started = time.monotonic()
        try:
            client.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before all of it was sent
        return read_until_closed(client, started)


def assert_refused_and_closed(answer: Answer, status: int, details: str) -> None:
    assert answer.status_line.startswith(f"HTTP/1.1 {status} "), answer.raw[:200]
    assert answer.headers["Connection"] == "close"
    body = answer.json()
    assert body["statusCode"] == status and details in body["errorDetails"]
    assert answer.closed_after_s < AT_ONCE_S


# --- request lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b"GET /\r\n",  # HTTP/0.9: the standard library would wait for headers
        b"GET /sandbox/info\r\n",
        b"GET /\n",
        b"garbage\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n",  # a binary line (a TLS hello is one)
    ],
)
def test_a_request_line_without_a_version_is_refused_at_once(sandbox, line):
    answer = exchange(sandbox, line)
    assert_refused_and_closed(answer, 400, "The request line must be METHOD TARGET HTTP/1.x")


@pytest.mark.parametrize(
    ("line", "status", "details"),
    [
        (b"GET / HTTP\r\n\r\n", 400, "Bad request version"),
        (b"GET / FTP/1.1\r\n\r\n", 400, "Bad request version"),
        (b"GET / HTTP/1.1 extra\r\n\r\n", 400, "Bad request version"),
        (b"GET / x y HTTP/1.1\r\n\r\n", 400, "Bad request syntax"),
        (b"GET / HTTP/2.0\r\n\r\n", 505, "Invalid HTTP version"),
        (b"BREW /pot HTTP/1.1\r\n\r\n", 501, "Unsupported method"),
        (b"GET http://[/ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "The request target is not a URL"),
    ],
)
def test_a_malformed_request_line_is_refused_at_once(sandbox, line, status, details):
    assert_refused_and_closed(exchange(sandbox, line), status, details)


def test_an_overlong_request_line_is_refused_at_once(sandbox):
    """414, not 400: RFC 9112 section 3 asks for it when the target is longer than the server reads."""
    line = b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n"
    assert_refused_and_closed(exchange(sandbox, line), 414, "Request-URI Too Long")


@pytest.mark.parametrize(
    ("headers", "details"),
    [
        (b"X-Long: " + b"a" * 70_000 + b"\r\n", "Line too long"),
        (b"".join(b"X-%d: 1\r\n" % i for i in range(200)), "Too many headers"),
    ],
)
def test_oversized_headers_are_refused_at_once(sandbox, headers, details):
    answer = exchange(sandbox, b"GET /sandbox/info HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert_refused_and_closed(answer, 431, details)


@pytest.mark.parametrize(
    ("length", "status", "details"),
    [
        (b"\xb2", 400, "Content-Length is not a number"),  # a digit to str.isdigit(), not to int()
        (b"-1", 400, "Content-Length is not a number"),
        (b"1e3", 400, "Content-Length is not a number"),
        (b"9" * 5000, 413, f"larger than {BODY_MAX} bytes"),
        (b"0" * 5000 + b"12", 200, ""),  # leading zeros: twelve bytes
    ],
)
def test_content_length_must_be_a_number_within_the_cap(sandbox, length, status, details):
    request = b"POST /sandbox/reset HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + length + b"\r\n\r\nUID=a&tags=b"
    answer = exchange(sandbox, request)
    if status == 200:
        assert answer.status == 200 and answer.json() == {"cleared": {"posts": 0, "attempts": 0}}
    else:
        assert_refused_and_closed(answer, status, details)


# --- slow clients -----------------------------------------------------------------------------


def test_the_default_request_timeout_is_short():
    # long enough for any client on loopback or a LAN, short enough that a slowloris gains little
    assert 1 <= REQUEST_TIMEOUT_S <= 30


def test_a_client_trickling_its_headers_is_cut_off_at_the_deadline(quick_server):
    with connect(quick_server) as client:
        started = time.monotonic()
        client.sendall(b"GET /sandbox/info HTTP/1.1\r\n")
        try:
            for _ in range(int(AT_ONCE_S * 10)):  # one byte of a header every tenth of a second
                client.sendall(b"X")
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = read_until_closed(client, started)
    assert answer.status_line.startswith("HTTP/1.1 408 ")
    assert answer.json()["errorDetails"] == f"The request did not arrive within {SHORT_TIMEOUT_S:g} seconds"
    assert SHORT_TIMEOUT_S * 0.9 <= answer.closed_after_s < SHORT_TIMEOUT_S + AT_ONCE_S


def test_a_body_shorter_than_its_length_is_cut_off_at_the_deadline(quick_server):
    with connect(quick_server) as client:
        started = time.monotonic()
        client.sendall(b"POST /socialize.publishUserAction HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nUID=a")
        answer = read_until_closed(client, started)
    assert answer.status_line.startswith("HTTP/1.1 408 ")
    assert SHORT_TIMEOUT_S * 0.9 <= answer.closed_after_s < SHORT_TIMEOUT_S + AT_ONCE_S


def test_a_connection_that_sends_nothing_is_closed_quietly(quick_server):
    with connect(quick_server) as client:
        answer = read_until_closed(client, time.monotonic())
    assert answer.raw == b""
    assert SHORT_TIMEOUT_S * 0.9 <= answer.closed_after_s < SHORT_TIMEOUT_S + AT_ONCE_S


def test_a_kept_alive_connection_may_idle_past_the_request_timeout(quick_server):
    """The next request's time starts with its first byte, not when the last answer was sent."""
    with connect(quick_server) as client:
        assert info_over(client)["apiKey"]
        time.sleep(SHORT_TIMEOUT_S * 2)
        assert info_over(client)["apiKey"]


def info_over(client: socket.socket) -> dict[str, Any]:
    """GET /sandbox/info on a kept-alive connection, read to the end of the answer only."""
    client.sendall(b"GET /sandbox/info HTTP/1.1\r\nHost: x\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += client.recv(1)
    assert head.startswith(b"HTTP/1.1 200 ") and b"Connection: close" not in head
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    body = b""
    while len(body) < length:
        body += client.recv(length - len(body))
    return json.loads(body)
