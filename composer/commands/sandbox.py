"""Run the built-in sandbox server: it speaks the same contract as Gigya's, with demo users for
every outcome, and records what each provider received (GET /sandbox/posts)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from composer.sandbox.scenario import Scenario, ScenarioError
from composer.sandbox.server import SandboxServer


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535; 0 picks a free one)")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``composer sandbox``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=0, help="port to listen on (default 0: any free port)")
    parser.add_argument("--scenario", metavar="FILE", help="scenario JSON file (default: the built-in demo scenario)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (url, apiKey, userKey, secret, users) as the first line"
    )


def run(args: argparse.Namespace) -> int:
    """``composer sandbox``: serve until SIGINT/SIGTERM.  0 when stopped, 2 for a bad scenario
    file or an address that cannot be used."""
    scenario_path = getattr(args, "scenario", None)
    try:
        scenario = Scenario.load(scenario_path) if scenario_path else Scenario.default()
    except ScenarioError as exc:
        print(f"composer sandbox: bad scenario file: {exc}", file=sys.stderr)
        return 2
    host = getattr(args, "host", "127.0.0.1")
    port = getattr(args, "port", 0)
    server = SandboxServer(scenario, host=host, port=port)
    stop = threading.Event()
    with _stop_on_signals(stop):  # installed first: a signal right after the announcement still stops cleanly
        try:
            server.start()
        except OSError as exc:
            print(f"composer sandbox: {_listen_problem(exc, host, port)}", file=sys.stderr)
            return 2
        try:
            _announce(server, as_json=bool(getattr(args, "json", False)))
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    return 0


def _listen_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; choose another with --port (0 picks a free one)"
    return f"cannot listen on {host}:{port} ({error.strerror or error})"


def _announce(server: SandboxServer, as_json: bool) -> None:
    info = server.info()
    if as_json:
        print(json.dumps(info, ensure_ascii=False), flush=True)
        return
    lines = [
        f"Gigya sandbox listening on {info['url']} (data center {info['dataCenter']})",
        f"  API key:  {info['apiKey']}",
        f"  User key: {info['userKey']}",
        f"  Secret:   {info['secret']}  (demo secret from the scenario)",
        "  Users:",
    ]
    width = max((len(user["UID"]) for user in info["users"]), default=0)
    for user in info["users"]:
        providers = ", ".join(user["providers"]) or "no network"
        description = f"  ({user['description']})" if user.get("description") else ""
        lines.append(f"    {user['UID']:<{width}}  {providers}{description}")
    lines.append(f"  Received posts: GET {info['url']}/sandbox/posts   forget them: POST {info['url']}/sandbox/reset")
    lines.append("Press Ctrl+C to stop.")
    print("\n".join(lines), flush=True)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (only the main thread may install handlers)."""
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
