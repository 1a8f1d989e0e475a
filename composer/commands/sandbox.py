"""Run the built-in sandbox server: it speaks the same contract as Gigya's, with demo users for
every outcome, and records what each provider received (GET /sandbox/posts)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import json
import signal
import socket
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
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; any other address lets others read the demo secret)",
    )
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
    if not server.loopback_only:
        # on stderr: the --json first line stays the one line a program reads on stdout
        print(_exposure_warning(server), file=sys.stderr, flush=True)
    if as_json:
        print(json.dumps(info, ensure_ascii=False), flush=True)
        return
    lines = [
        *_listening_lines(server, info["dataCenter"]),
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


#: Addresses reserved for documentation (RFC 5737, RFC 3849): a UDP socket "connected" to one
#: tells which local address this machine's route out would use, and nothing is ever sent to it.
_ROUTE_PROBES = {socket.AF_INET: "192.0.2.1", socket.AF_INET6: "2001:db8::1"}


def _listening_lines(server: SandboxServer, data_center: str) -> list[str]:
    """Where the server listens, as a user can reach it."""
    bound = server.bound_address
    if not ipaddress.ip_address(bound).is_unspecified:
        return [f"Gigya sandbox listening on {server.url} (data center {data_center})"]
    scope = "every IPv4 interface" if bound == "0.0.0.0" else "every interface"
    families = [socket.AF_INET] if bound == "0.0.0.0" else [socket.AF_INET, socket.AF_INET6]
    address = next(filter(None, (_network_address(family) for family in families)), None)
    host = address if address is not None else "<this machine's address>"
    from_elsewhere = f"http://{f'[{host}]' if ':' in host else host}:{server.port}"
    return [
        f"Gigya sandbox listening on {scope} ({bound}), port {server.port} (data center {data_center})",
        f"  From this machine:   {server.url}",
        f"  From other machines: {from_elsewhere}" + ("" if address is None else " (or another address of this machine)"),
    ]


def _network_address(family: socket.AddressFamily) -> str | None:
    """This machine's address on its network for ``family``, or None (no route out)."""
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((_ROUTE_PROBES[family], 9))  # UDP: picks the route, sends nothing (any port would do)
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _exposure_warning(server: SandboxServer) -> str:
    return (
        f"composer sandbox: WARNING: listening on {server.bound_address}, not only on this machine: anyone who can reach "
        f"this machine's port {server.port} can read the demo credentials, the demo secret included, at /sandbox/info, "
        "publish as the demo users and read every post. Use --host 127.0.0.1 unless other machines must reach the sandbox."
    )


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
