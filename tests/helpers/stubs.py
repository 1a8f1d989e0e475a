"""Stand-ins for what a test cannot use for real: a keychain (:class:`MemoryKeyring`), a Gigya
server that misbehaves on purpose (:class:`FaultyServer`), and Gigya's own hosts answered by a
loopback server (:func:`forwarding_session`)."""

from __future__ import annotations

import email.utils
import gzip as gzip_module
import json
import socket
import struct
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

from composer.core.wire.transport import Transport

# --- a keychain in memory ---------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend.  Its priority is below zero so keyring never picks it by
    itself; the ``memory_keyring`` fixture installs it explicitly with ``keyring.set_keyring``."""

    priority = -1  # type: ignore[assignment]
    #: the name ``CredentialStore.where()`` shows (keyring would derive one from the module, "stubs")
    name = "memory keyring MemoryKeyring"

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.store[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class FailingKeyring(MemoryKeyring):
    """A keyring that fails on purpose midway: ``fail_set`` / ``fail_delete`` name the accounts
    whose write or delete raises (as a locked or broken keyring would)."""

    name = "failing keyring FailingKeyring"

    def __init__(self, fail_set: tuple[str, ...] = (), fail_delete: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.fail_set, self.fail_delete = set(fail_set), set(fail_delete)

    def set_password(self, service: str, username: str, password: str) -> None:
        if username in self.fail_set:
            raise PasswordSetError("the keyring daemon went away")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        if username in self.fail_delete:
            raise RuntimeError("the keyring daemon went away")
        super().delete_password(service, username)


class BlockingKeyring(FailingKeyring):
    """A keyring that holds every write and delete until the test calls :meth:`release`, as a
    locked keyring waiting for the user to unlock it does (reads answer at once).  ``held`` is set
    once a call waits; ``writes`` lists the writes in the order they came.  Released, a call does what :class:`FailingKeyring` does with ``fail_set``
    and ``fail_delete``; never released, it fails after ``patience`` seconds, so that a test that
    went wrong does not hang its pool's thread for ever.  :meth:`release_all` releases every one
    still made (the ``memory_keyring`` fixture does, after each test)."""

    name = "blocking keyring BlockingKeyring"
    #: every one made and not yet gone
    _made: weakref.WeakSet[BlockingKeyring] = weakref.WeakSet()

    def __init__(self, fail_set: tuple[str, ...] = (), fail_delete: tuple[str, ...] = (), patience: float = 20.0) -> None:
        super().__init__(fail_set, fail_delete)
        self.held = threading.Event()
        self._released = threading.Event()
        self.patience = patience
        #: every write in the order it reached the keyring: (account, password)
        self.writes: list[tuple[str, str]] = []
        #: how many calls wait for the release now
        self.waiting = 0
        self._lock = threading.Lock()
        BlockingKeyring._made.add(self)

    def release(self) -> None:
        self._released.set()

    @classmethod
    def release_all(cls) -> None:
        for held in list(cls._made):
            held.release()

    def _hold(self) -> None:
        with self._lock:
            self.waiting += 1
        self.held.set()
        try:
            if not self._released.wait(self.patience):
                raise PasswordSetError("the keyring was never unlocked")
        finally:
            with self._lock:
                self.waiting -= 1

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self.writes.append((username, password))
        self._hold()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._hold()
        super().delete_password(service, username)


class CaseBlindKeyring(MemoryKeyring):
    """A keyring whose account names ignore case, as the Windows Credential Manager's targets do:
    "Foo" and "foo" are one entry."""

    name = "case-blind keyring CaseBlindKeyring"

    def get_password(self, service: str, username: str) -> str | None:
        return super().get_password(service, username.casefold())

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username.casefold(), password)

    def delete_password(self, service: str, username: str) -> None:
        super().delete_password(service, username.casefold())


# --- a server that misbehaves on purpose ------------------------------------------------------
#
# A small real HTTP server on 127.0.0.1, for the client's fault tests and the hostile-answer table.
#
# It is a raw socket server (so it can also break the protocol: lie about Content-Length, hang up
# without answering, never answer, answer one byte a second, never stop answering).  Each test gives
# it a script: one action per connection, in order (the client opens one per request: the server
# always closes); the last action repeats.  Every request that reached the server is recorded
# (method, path, headers, form parameters), so a test can prove how many times the client really
# sent.
#
#     with FaultyServer([Reply(body={"errorCode": 0})]) as server:
#         ...  server.url, server.request_count, server.requests[0].params
#
# Actions, each after reading the whole request unless it says otherwise: ``Reply`` (any status,
# headers, body; gzip; chunked; a Content-Length larger than the body), ``Drop`` (close without
# answering), ``Hang`` (answer nothing until the server stops or ``seconds`` pass), ``Raw`` (these
# exact bytes, then close, reset or hang; optionally without reading anything first, as a server
# that does not speak TLS would), ``Drip`` (bytes one at a time, ``every`` seconds apart), ``Endless``
# (a head, then the same piece for ever) and ``Mute`` (read nothing, say nothing: a stalled TLS
# handshake for an https client).


@dataclass
class Reply:
    status: int = 200
    #: bytes are sent as they are, str is UTF-8 encoded, anything else is JSON-encoded
    body: Any = b""
    content_type: str | None = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    #: gzip the body and say so with Content-Encoding: gzip
    gzip: bool = False
    #: announce this Content-Length instead of the real one (larger: the body is cut off)
    declared_length: int | None = None
    #: add a Date header (the server's clock, Unix seconds); None: no Date header at all
    date: float | None = None
    #: send the body as one chunk of Transfer-Encoding: chunked, no Content-Length
    chunked: bool = False

    def body_bytes(self) -> bytes:
        body = self.body
        if isinstance(body, str):
            return body.encode("utf-8")
        if isinstance(body, bytes):
            return body
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def encode(self) -> bytes:
        body = self.body_bytes()
        headers = dict(self.headers)
        if self.gzip:
            body = gzip_module.compress(body)
            headers["Content-Encoding"] = "gzip"
        if self.content_type:
            headers["Content-Type"] = self.content_type
        if self.date is not None:
            headers["Date"] = email.utils.formatdate(self.date, usegmt=True)
        if self.chunked:
            headers["Transfer-Encoding"] = "chunked"
            body = (_chunk(body) if body else b"") + b"0\r\n\r\n"
        else:
            headers["Content-Length"] = str(len(body) if self.declared_length is None else self.declared_length)
        return http_head(self.status, headers) + body


def http_head(status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    """A response's status line and headers (with Connection: close), up to the empty line."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Whatever"
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in (headers or {}).items()), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Drop:
    """Read the whole request, then close the connection without a byte of answer."""


@dataclass
class Hang:
    """Read the whole request, then answer nothing (until the server stops or ``seconds`` pass)."""

    seconds: float = 10.0


@dataclass
class Raw:
    """Send ``data`` as it is, then ``then``: "close" (an orderly end), "reset" (a TCP reset) or
    "hang" (until the server stops).  ``read_request=False``: send it as soon as the connection is
    accepted, reading nothing (what a client speaking TLS to a plain server gets)."""

    data: bytes
    then: str = "close"
    read_request: bool = True


@dataclass
class Drip:
    """Send ``lead`` at once, then ``data`` one byte at a time, ``every`` seconds apart, then close."""

    data: bytes
    every: float = 0.2
    lead: bytes = b""


@dataclass
class Endless:
    """Send ``head``, then ``piece`` again and again (``every`` seconds apart; 0: as fast as the
    client reads) until the client goes away or the server stops."""

    head: bytes
    piece: bytes
    every: float = 0.0

    @classmethod
    def chunked(cls, piece: bytes = b"x" * 65536, every: float = 0.0, headers: dict[str, str] | None = None) -> Endless:
        """A 200 answer whose chunked body never ends."""
        head = http_head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked", **(headers or {})})
        start = b'{"errorCode": 0, "padding": "'
        return cls(head + _chunk(start), _chunk(piece), every)


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


@dataclass
class Mute:
    """Accept the connection, then read nothing and say nothing (until the server stops or
    ``seconds`` pass)."""

    seconds: float = 10.0


Action = Reply | Drop | Hang | Raw | Drip | Endless | Mute


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    #: when the request arrived (time.time())
    at: float

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


class FaultyServer:
    def __init__(self, script: Sequence[Action], host: str = "127.0.0.1"):
        if not script:
            raise ValueError("give at least one action")
        self.script = list(script)
        self.requests: list[Request] = []
        #: exceptions raised while serving (a test may assert it is empty)
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._connections = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.host, self.port = self._listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._serve, name="faulty-server", daemon=True)
        self._handlers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def start(self) -> FaultyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: hanging handlers give up, connections still waiting in the backlog are
        read and recorded (so a request the client sent is always counted), every thread is joined."""
        self._stop.set()
        self._thread.join(timeout=10)
        self._listener.close()
        for handler in self._handlers:
            handler.join(timeout=10)

    def __enter__(self) -> FaultyServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- serving ---------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError as exc:  # pragma: no cover - listener closed under us
                self.errors.append(exc)
                return
            self._spawn(conn)
        # drain the backlog: a connection made before stop() still counts as a request sent
        self._listener.setblocking(False)
        while True:
            try:
                conn, _ = self._listener.accept()
            except (BlockingIOError, OSError):
                break
            self._spawn(conn)

    def _spawn(self, conn: socket.socket) -> None:
        with self._lock:
            action = self.script[min(self._connections, len(self.script) - 1)]
            self._connections += 1
        handler = threading.Thread(target=self._connection, args=(conn, action), name="faulty-server-conn", daemon=True)
        self._handlers.append(handler)
        handler.start()

    def _connection(self, conn: socket.socket, action: Action) -> None:
        with conn:
            try:
                self._handle(conn, action)
            except OSError:
                pass  # the client went away (it timed out, or that is the point of the test)
            except Exception as exc:  # noqa: BLE001 - reported to the test, never raised in the thread
                self.errors.append(exc)

    def _handle(self, conn: socket.socket, action: Action) -> None:
        conn.setblocking(True)
        conn.settimeout(5)
        if isinstance(action, Mute):
            self._stop.wait(action.seconds)
            return
        if not (isinstance(action, Raw) and not action.read_request):
            request = self._read_request(conn)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
        if isinstance(action, Drop):
            return  # closed by the caller's "with conn"
        if isinstance(action, Hang):
            self._stop.wait(action.seconds)
            return
        if isinstance(action, Raw):
            conn.sendall(action.data)
            if action.then == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif action.then == "hang":
                self._stop.wait(60)
            return
        if isinstance(action, Drip):
            conn.sendall(action.lead)
            for i in range(len(action.data)):
                conn.sendall(action.data[i : i + 1])
                if self._stop.wait(action.every):
                    return
        elif isinstance(action, Endless):
            conn.sendall(action.head)
            while not self._stop.is_set():
                conn.sendall(action.piece)
                if action.every:
                    self._stop.wait(action.every)
            return
        else:
            conn.sendall(action.encode())
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    @staticmethod
    def _read_request(conn: socket.socket) -> Request | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Request(method, path, headers, body, time.time())


def refused_port() -> tuple[socket.socket, int]:
    """A loopback port where nothing listens: a socket bound to it (so no one else takes it) but not
    listening, so a connection is refused.  Close the socket when done."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]


# --- Gigya's hosts, answered on loopback --------------------------------------------------------


class ForwardingAdapter(Transport):
    """Sends requests meant for Gigya's https hosts to a loopback server instead (a transport, as
    the client takes one; the client's own, so the deadline holds), noting the URL the client
    meant in X-Original-Url.  With ``as_sent=True`` the request also keeps the host it was meant
    for (``Host``) and says it came over https (``X-Forwarded-Proto``), so that a sandbox trusting
    its proxy (``trustProxyHttps``) checks the signature the client made for that host."""

    def __init__(self, target: str, as_sent: bool = False):
        super().__init__()
        self.target = target
        self.as_sent = as_sent

    def send(self, request, **kwargs):
        original = request.url
        path = "/" + original.split("/", 3)[3]
        request.url = self.target + path
        request.headers["X-Original-Url"] = original
        if self.as_sent:
            request.headers["Host"] = urlsplit(original).netloc
            request.headers["X-Forwarded-Proto"] = "https"
        return super().send(request, **kwargs)


def forwarding_session(target: str, *hosts: str, as_sent: bool = False) -> requests.Session:
    """A session whose requests to ``hosts`` (base URLs such as ``https://socialize.us1.gigya.com``)
    reach the loopback server at ``target``."""
    session = requests.Session()
    for host in hosts:
        session.mount(host, ForwardingAdapter(target, as_sent))
    return session
