"""The HTTP transport under :class:`composer.core.wire.client.GigyaClient`: requests, with one
deadline over the whole exchange and a record of whether any byte of the request left.

This module subclasses requests and urllib3, so it imports them at the top; the client imports it
only when it first sends (docs/architecture.md, rule 7: the HTTP stack loads on first use).

**The deadline.**  requests' timeouts limit each socket operation, not the exchange: a server that
sends one byte a second never trips them, during the headers or the body.  So each request runs
inside an :class:`Exchange`, which the watchdog holds to the time allowed.
Every connection made through :class:`Transport` hands its socket to the exchange in progress; when
the watchdog fires it shuts those sockets down, which wakes whatever is blocked on them at once
(the TLS handshake, sending, reading the headers or the body) with an error or an early end of
file.  The client then asks the exchange whether the deadline passed and reports that.  One
watchdog thread serves every exchange of the process, started with the first: starting a thread
per request would cost more than the rest of our work on a request to a nearby server.  The
per-operation timeouts given to requests are the time left, a second line for the one step the
watchdog cannot cut short: a TCP connection that is not up yet.  Name lookup is the system's and
has no timeout of ours.

**Sent or not.**  The exchange notes when a byte of the request is first handed to a socket; a
failure before that (no such host, connection refused, a TLS handshake that failed or stalled)
sent nothing, so the post cannot be live.

A client sends one request at a time, so "the exchange in progress" is one per thread, kept in a
context variable that the connections read.
"""

from __future__ import annotations

import socket
import threading
import time
from contextvars import ContextVar
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import poolmanager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CURRENT: ContextVar[Exchange | None] = ContextVar("composer_exchange", default=None)


class Exchange:
    """One request and its answer, within ``seconds``.  Use it as a context manager around the
    request and the reading of its body; call :meth:`finish` once the body is read."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        #: when the watchdog ends this exchange (``time.monotonic()``)
        self.deadline = time.monotonic() + seconds
        #: a connection of ours took part (else this exchange cannot tell sent from not sent)
        self.seen = False
        #: a byte of the request was handed to a socket: from here on, the post may be live
        self.request_started = False
        #: the watchdog fired before the answer was read to its end
        self.expired = False
        self._finished = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._token: Any = None

    def __enter__(self) -> Exchange:
        self._token = _CURRENT.set(self)
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHDOG.discard(self)
        with self._lock:
            self._finished = True
            for sock in self._sockets:
                sock.close()  # our duplicates only: the connection closes its own
            self._sockets.clear()
        _CURRENT.reset(self._token)

    def left(self) -> float:
        """Seconds until the deadline (never quite zero: requests refuses a zero timeout)."""
        return max(self.deadline - time.monotonic(), 0.001)

    def finish(self) -> bool:
        """The answer was read to its end: True when that happened before the deadline."""
        with self._lock:
            self._finished = True
            return not self.expired

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline (at once if it has passed).  A duplicate of its file
        descriptor is kept: TLS takes the original socket object over, and the duplicate also
        cannot be confused with a later socket that reuses the number."""
        self.seen = True
        try:
            duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except OSError:
            return  # already closed: nothing left to cut short
        with self._lock:
            if self._finished:
                duplicate.close()
                return
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def expire(self) -> None:
        """The deadline passed: shut every socket of this exchange down, unless the answer was
        read to its end already."""
        with self._lock:
            if self._finished:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


class _Watchdog:
    """The one thread that expires every exchange at its deadline.  It sleeps until the earliest
    deadline among the exchanges in progress; an exchange that ends is simply forgotten."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._exchanges: set[Exchange] = set()
        self._thread: threading.Thread | None = None
        #: the deadline the thread sleeps until (None: until an exchange starts)
        self._wakes_at: float | None = None

    def add(self, exchange: Exchange) -> None:
        with self._changed:
            self._exchanges.add(exchange)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="composer-watchdog", daemon=True)
                self._thread.start()
            # the thread sleeps until _wakes_at and then looks at every exchange again: it needs
            # waking only for a deadline that comes sooner
            if self._wakes_at is None or exchange.deadline < self._wakes_at:
                self._changed.notify()

    def discard(self, exchange: Exchange) -> None:
        with self._changed:
            self._exchanges.discard(exchange)

    def _run(self) -> None:
        while True:
            with self._changed:
                due = [exchange for exchange in self._exchanges if exchange.deadline <= time.monotonic()]
                self._exchanges.difference_update(due)
                if not due:
                    self._wakes_at = min((exchange.deadline for exchange in self._exchanges), default=None)
                    if self._wakes_at is None:
                        self._changed.wait()
                    else:  # a deadline years away is past what a wait may be given
                        self._changed.wait(min(self._wakes_at - time.monotonic(), threading.TIMEOUT_MAX))
            for exchange in due:
                exchange.expire()  # outside the lock: it takes the exchange's own


_WATCHDOG = _Watchdog()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected (yet, or any more): nothing is blocked on it


class _Watched:
    """What our connections add to urllib3's: they report to the exchange in progress."""

    def _new_conn(self) -> socket.socket:
        exchange = _CURRENT.get()
        if exchange is not None:
            exchange.seen = True  # a failure from here on, before sending, sent nothing
        sock = super()._new_conn()  # type: ignore[misc]
        if exchange is not None:
            exchange.watch(sock)
        return sock

    def send(self, data: Any) -> None:
        exchange = _CURRENT.get()
        if exchange is not None and not exchange.request_started:
            if self.sock is None:
                self.connect()  # as http.client would do first: connecting is not sending
            exchange.watch(self.sock)  # a reused connection was not opened in this exchange
            exchange.request_started = True
        super().send(data)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class Transport(HTTPAdapter):
    """requests' adapter whose connections report to the :class:`Exchange` in progress.  Mount it
    (or a subclass) on any session handed to the client; a SOCKS proxy keeps urllib3's own
    connections, and with it the per-operation timeouts only."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _use_watched_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _use_watched_pools(manager)
        return manager


def _use_watched_pools(manager: Any) -> None:
    if manager.pool_classes_by_scheme is poolmanager.pool_classes_by_scheme:
        manager.pool_classes_by_scheme = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}
