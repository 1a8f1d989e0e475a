"""The sandbox over HTTP: a threaded server on a port (loopback unless told otherwise), routing
requests to the service."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import logging
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, quote_from_bytes, unquote_to_bytes, urlsplit

from composer.core.wire import signing
from composer.sandbox import demo_pages
from composer.sandbox.rendering import Reply, gzipped, json_reply, render
from composer.sandbox.scenario import Scenario
from composer.sandbox.service import BODY_MAX, PUBLISH_PATH, IncomingCall, Sandbox, transport_error
from composer.sandbox.shortener import SHORT_PATH

_log = logging.getLogger(__name__)

#: How long a client has to send a whole request (its line, headers and body): counted from the
#: connection for the first request, from the request's first byte for the next ones.  Our choice:
#: on loopback or a LAN a request, even one at BODY_MAX, arrives in well under a second, so ten
#: seconds is room for a slow machine, while a client that trickles its bytes (a slowloris) holds a
#: connection and its thread no longer than that.  The same time bounds sending each answer.
REQUEST_TIMEOUT_S = 10.0
#: How long a kept-alive connection may wait idle for its next request before it is closed.  Our
#: choice: a window that publishes every minute or two keeps its connection; an idle connection
#: costs only a waiting thread.
KEEP_ALIVE_IDLE_S = 120.0


def _decode_form(data: bytes) -> tuple[dict[str, str], tuple[str, ...]]:
    """Form-encoded parameters (a body or a query string), and the names of those whose name or
    value is not UTF-8 once percent-decoded (a bad name is given percent-encoded).  Those are kept,
    with U+FFFD for the bad bytes, so that the answer can still be rendered in the format asked."""
    params: dict[str, str] = {}
    undecodable: list[str] = []
    for pair in data.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        name, name_is_text = _form_text(raw_name)
        value, value_is_text = _form_text(raw_value)
        if not name_is_text:
            undecodable.append(quote_from_bytes(unquote_to_bytes(raw_name.replace(b"+", b" "))))
        elif not value_is_text:
            undecodable.append(name)
        params[name] = value
    return params, tuple(undecodable)


def _form_text(raw: bytes) -> tuple[str, bool]:
    """One form-encoded name or value as text, and whether its bytes were UTF-8."""
    data = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), False


def _query_bytes(query: str) -> bytes:
    # the request line is read as ISO-8859-1 (http.server), so this gives back the bytes sent
    return query.encode("iso-8859-1")


def _content_length(text: str) -> int | None:
    """The Content-Length header's number, or None when it is not one (digits only; a number with
    more digits than BODY_MAX is over it whatever it says, and is not converted)."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= len(str(BODY_MAX)) else BODY_MAX + 1


class _RequestReader(io.RawIOBase):
    """What a client sends, read against a deadline per request.

    A socket timeout bounds each wait for bytes, not a request: a client that sent one byte just
    before each timeout would keep its request (and a thread) open for ever.  Here the whole
    request must arrive within ``request_timeout_s``, counted from the connection for the first
    request and from the first byte for the next ones (until then the connection may stay idle
    for :data:`KEEP_ALIVE_IDLE_S`)."""

    def __init__(self, connection: socket.socket, request_timeout_s: float):
        self._connection = connection
        self._request_timeout_s = request_timeout_s
        self._deadline: float | None = time.monotonic() + request_timeout_s
        #: bytes of the current request received, and whether its deadline passed
        self.received = 0
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def next_request(self) -> None:
        """The answer was sent: the next request's time starts with its first byte."""
        self._deadline = None
        self.received = 0
        self.timed_out = False

    def readinto(self, buffer: Any) -> int:
        if self._deadline is None:
            self._connection.settimeout(KEEP_ALIVE_IDLE_S)
        else:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                self.timed_out = True
                raise TimeoutError("the request did not arrive in time")
            self._connection.settimeout(remaining)
        try:
            count = self._connection.recv_into(buffer)
        except TimeoutError:
            self.timed_out = self._deadline is not None
            raise
        if count and self._deadline is None:
            self._deadline = time.monotonic() + self._request_timeout_s
        self.received += count
        return count


# --- HTTP -----------------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # idle keep-alive connections must not hold up stop(); close_connections() ends them instead
    block_on_close = False

    def __init__(self, address: tuple[str, int], sandbox: Sandbox, request_timeout_s: float):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.sandbox = sandbox
        self.request_timeout_s = request_timeout_s
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn), which can be slow; not needed
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a client went away: not worth a word
        _log.error("sandbox: unexpected error while serving a request", exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # HTTP/0.9 is not served: a request line that cannot be read is answered as for HTTP/1.0 (a
    # status line and headers), never with a bare body
    default_request_version = "HTTP/1.0"
    server_version = "composer-sandbox/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = None  # the socket's timeout is set for every read (_RequestReader) and answer (_send)
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by one that reads against the request's deadline
        self._reader = _RequestReader(self.connection, self.server.request_timeout_s)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        """One request; one that did not arrive in time is answered 408 and its connection closed
        (one that never began is closed quietly)."""
        self.request_version = self.default_request_version  # until its request line says otherwise
        super().handle_one_request()  # closes the connection on a timeout
        if self._reader.timed_out and self._reader.received:
            self._refuse(408, f"The request did not arrive within {self.server.request_timeout_s:g} seconds")
        self._reader.next_request()

    def parse_request(self) -> bool:
        if 1 <= len(self.raw_requestline.split()) <= 2:
            # "GET /" (HTTP/0.9) or a word alone: the standard library would take the first for
            # HTTP/0.9 and wait for headers that never come
            self.command = None
            self.send_error(HTTPStatus.BAD_REQUEST, "The request line must be METHOD TARGET HTTP/1.x")
            return False
        return super().parse_request()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What the standard library refuses before a request is routed (a request line that is
        not one, an overlong line or header, an unknown method) is answered in JSON like the rest,
        and the connection closed."""
        details = message or HTTPStatus(code).phrase
        self._refuse(code, f"{details} ({explain})" if explain else details)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Quiet: no per-request line on stderr (and no need of a request line read in full)."""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no error line on stderr either."""

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header follows the server's (possibly skewed) clock."""
        return super().date_time_string(self.server.sandbox.clock() if timestamp is None else timestamp)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        try:
            parts = urlsplit(self.path)
        except ValueError:  # e.g. "http://[/": an absolute-form target with a broken host
            self._refuse(400, "The request target is not a URL")
            return
        try:
            reply = self._route(parts.path, parts.query, body)
        except Exception:  # a bug: answer 500 rather than drop the connection
            _log.error("sandbox: unexpected error while answering %s %s", self.command, parts.path, exc_info=True)
            reply = json_reply(500, transport_error(500, "The sandbox failed unexpectedly"))
        self._send(reply)

    def _read_body(self) -> bytes | None:
        """The request body, or None when it was refused (the answer is sent already)."""
        length_text = self.headers.get("Content-Length", "")
        length = _content_length(length_text) if length_text else 0
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "Send the body with a Content-Length")
        elif length is None:
            self._refuse(400, "Content-Length is not a number")
        elif length > BODY_MAX:
            self._refuse(413, f"The body is larger than {BODY_MAX} bytes")
        else:
            return self.rfile.read(length) if length else b""
        return None

    def _refuse(self, status: int, details: str) -> None:
        self.close_connection = True  # the unread body would be taken for the next request
        body = {"statusCode": status, "statusReason": HTTPStatus(status).phrase, "errorDetails": details}
        self._send(json_reply(status, body))

    def _route(self, path: str, query: str, body: bytes) -> Reply:
        method = self.command
        sandbox = self.server.sandbox
        if path.lower() == PUBLISH_PATH.lower():
            return self._publish(path, query, body) if method in ("GET", "POST") else self._not_allowed(path)
        if path == "/sandbox/posts" and method == "GET":
            filters, _ = _decode_form(_query_bytes(query))  # a filter that is not UTF-8 matches nothing
            return json_reply(200, _filtered_records(sandbox, filters), pretty=True)
        if (path == "/sandbox/posts" and method == "DELETE") or (path == "/sandbox/reset" and method == "POST"):
            return json_reply(200, {"cleared": sandbox.reset()}, pretty=True)
        if path == "/sandbox/info" and method == "GET":
            return json_reply(200, sandbox.info(self._base_url()), pretty=True)
        if path in ("/sandbox/posts", "/sandbox/reset", "/sandbox/info"):
            return self._not_allowed(path)
        if path.startswith(demo_pages.PREFIX + "/") and method == "GET":
            return demo_pages.demo_reply(path)
        if path.startswith(SHORT_PATH) and method == "GET":
            return _short_link(sandbox, path)
        return json_reply(404, transport_error(404, f"Unknown method: {path}"))

    def _not_allowed(self, path: str) -> Reply:
        return json_reply(405, transport_error(405, f"{self.command} is not allowed on {path}"))

    def _publish(self, path: str, query: str, body: bytes) -> Reply:
        params, undecodable = _decode_form(_query_bytes(query))
        if self.command == "POST":
            body_params, body_undecodable = _decode_form(body)
            params.update(body_params)
            undecodable += body_undecodable
        https = self._forwarded_https()
        url = self._base_url(https) + path
        call = IncomingCall(method=self.command, url=url, params=params, https=https, undecodable=undecodable)
        return gzipped(render(self.server.sandbox.publish(call), params), self.headers.get("Accept-Encoding", ""))

    def _forwarded_https(self) -> bool:
        forwarded = self.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return self.server.sandbox.scenario.trust_proxy_https and forwarded == "https"

    def _base_url(self, https: bool = False) -> str:
        """Scheme and host as the client addressed them (the Host header), for the signature."""
        scheme = "https" if https else "http"
        host = self.headers.get("Host", "").strip()
        if host:
            try:
                signing.normalized_url(f"{scheme}://{host}/")
                return f"{scheme}://{host}"
            except ValueError:
                pass  # a malformed Host header: fall back to the address the server listens on
        return f"{scheme}://{_url_host(self.server.server_name)}:{self.server.server_port}"

    def _send(self, reply: Reply) -> None:
        try:
            self.connection.settimeout(self.server.request_timeout_s)  # a client must take its answer too
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in reply.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True


def _filtered_records(sandbox: Sandbox, query: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    def keep(record: Mapping[str, Any]) -> bool:
        return all(record.get(key) == query[key] for key in ("UID", "provider") if query.get(key))

    return {
        "posts": [r for r in sandbox.posts() if keep(r)],
        "attempts": [r for r in sandbox.attempts() if keep(r)],
    }


def _short_link(sandbox: Sandbox, path: str) -> Reply:
    """A short link the sandbox posted: 302 to the original, the click counted."""
    original = sandbox.shortener.follow(path)
    if original is None:
        return json_reply(404, transport_error(404, f"No such short link: {path}"))
    # a header is Latin-1: an IRI's other characters go percent-encoded
    location = quote(original, safe=":/?#[]@!$&'()*+,;=%~")
    return replace(json_reply(302, {"location": original}), headers=(("Location", location),))


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


# --- the public server ----------------------------------------------------------------------------


class SandboxServer:
    """The sandbox on a port (loopback by default), served from a daemon thread::

        with SandboxServer() as server:
            requests.post(server.url + "/socialize.publishUserAction", data=...)

    ``request_timeout_s``: how long a client has to send a request (:data:`REQUEST_TIMEOUT_S`).
    """

    def __init__(
        self, scenario: Scenario | None = None, host: str = "127.0.0.1", port: int = 0, request_timeout_s: float = REQUEST_TIMEOUT_S
    ):
        self.scenario = scenario if scenario is not None else Scenario.default()
        self.host = host
        self._requested_port = port
        self._request_timeout_s = request_timeout_s
        self._sandbox = Sandbox(self.scenario)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SandboxServer:
        """Listen and serve in a daemon thread.  Raises OSError when the port cannot be used."""
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self.host, self._requested_port), self._sandbox, self._request_timeout_s)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="composer-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the sandbox server is not started")
        return self._httpd.server_port

    @property
    def url(self) -> str:
        """e.g. ``http://127.0.0.1:54321`` (available after :meth:`start`).  A server listening on
        every interface (``0.0.0.0``, ``::``) gives its loopback URL: the one that works here."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def bound_address(self) -> str:
        """The address the server listens on, as an IP: ``127.0.0.1``, ``0.0.0.0`` (every IPv4
        interface), ``::`` (every interface), or the address a host name resolved to."""
        if self._httpd is None:
            raise RuntimeError("the sandbox server is not started")
        return str(self._httpd.server_address[0])

    @property
    def loopback_only(self) -> bool:
        """True when only this machine can reach the server (it listens on a loopback address)."""
        address = ipaddress.ip_address(self.bound_address.split("%")[0])  # an IPv6 zone is not part of it
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return address.is_loopback

    @property
    def request_count(self) -> int:
        """publishUserAction requests received, whatever their outcome (``/sandbox/*`` not counted)."""
        return self._sandbox.request_count

    def info(self) -> dict[str, Any]:
        """``{"url", "apiKey", "userKey", "secret", "dataCenter", "users": [{"UID", "providers",
        "description"}], "sites": [{"apiKey", "dataCenter"}]}``."""
        return self._sandbox.info(self.url)

    def posts(self) -> list[dict[str, Any]]:
        """What the networks received (successful posts), oldest first."""
        return self._sandbox.posts()

    def attempts(self) -> list[dict[str, Any]]:
        """Every network attempt with its errorCode, oldest first."""
        return self._sandbox.attempts()

    def reset(self) -> None:
        """Forget posts, attempts and the duplicate memory."""
        self._sandbox.reset()
