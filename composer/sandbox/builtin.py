"""The built-in sandbox of this process: the server the Sandbox profile publishes to.

It starts on a loopback port the first time something needs it and stops when the process exits,
so the window and every command work on a fresh machine with no account.  This module is light on
purpose (the server's own modules load when it first starts): the profile list names the built-in
profile at every start of the window.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.sandbox.server import SandboxServer

#: where the sandbox serves the demo pages that links to example.com are read from
#: (sandbox/demo_pages.py answers them, core/pages/fetch.py reads them)
DEMO_PREFIX = "/demo"

_lock = threading.Lock()
_server: SandboxServer | None = None


def ensure_builtin_sandbox() -> SandboxServer:
    """The built-in sandbox server, started the first time it is needed (thread-safe).  Raises
    OSError when it cannot listen."""
    global _server
    with _lock:
        if _server is None:
            from composer.sandbox.server import SandboxServer

            server = SandboxServer(host="127.0.0.1", port=0).start()
            atexit.register(server.stop)
            _server = server
        return _server


def stop_builtin_sandbox() -> None:
    """Stop the built-in sandbox if it runs (the next :func:`ensure_builtin_sandbox` starts another)."""
    global _server
    with _lock:
        server, _server = _server, None
    if server is not None:
        atexit.unregister(server.stop)
        server.stop()


def builtin_sandbox_url() -> str:
    """The running built-in sandbox's URL, or "" when it has not started."""
    with _lock:
        return _server.url if _server is not None else ""
