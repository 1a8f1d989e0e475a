"""``composer``: the window without a subcommand; headless jobs as subcommands.

Exit codes used by every subcommand: 0 success, 1 a failure the command reports (validation errors,
nothing published), 2 bad usage or an unreadable draft, 3 partly published, 4 outcome unknown,
130 stopped by Ctrl+C.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from composer import __version__
from composer.commands import COMMANDS, EXIT_INTERRUPTED
from composer.core.storage import files

EXIT_USAGE = 2
EXIT_FAILURE = 1


class Output:
    """A subcommand's standard output.  When it cannot be written (the reader closed the pipe,
    the disk is full, the descriptor was closed) only the output stops: the command carries on,
    so a publish is still recorded, every case of a plan still runs and its report is still
    written, and the exit code still tells what the command did."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.error: OSError | None = None if stream is not None else OSError(errno.EBADF, "standard output is closed")

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                return self.stream.write(text)
            except OSError as exc:
                self._stop(exc)
        return len(text)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self._stop(exc)

    def __getattr__(self, name: str):  # encoding, isatty(), fileno() ...: the real stream's
        return getattr(self.stream, name)

    def _stop(self, exc: OSError) -> None:
        self.error = exc
        # what is still buffered goes nowhere, so that the interpreter's own flush at exit does not
        # fail again (https://docs.python.org/3/library/signal.html#note-on-sigpipe)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return
        try:
            os.dup2(devnull, self.stream.fileno())
        except (OSError, ValueError):  # a stream without a descriptor of its own
            pass
        finally:
            os.close(devnull)

    def exit_code(self, code: int, sent: bool = False) -> int:
        """``code``, the command's own, unless output that was lost turns a success into a failure.
        A reader that closed the pipe (``| head``) read what it wanted: that is no failure.  Once a
        call was ``sent``, the code says what the networks got and stays: publish's 1 means
        "nothing posted", and a script that believed it would post the share again."""
        if self.error is None or self.error.errno == errno.EPIPE:
            return code
        try:
            print(f"composer: cannot write output: {self.error.strerror or self.error}", file=sys.stderr)
        except OSError:  # standard error is gone too: the exit code is all that is left
            pass
        return code if sent else code or EXIT_FAILURE


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``composer``.  Every subcommand is listed; only ``command``'s module is
    loaded and its options configured, so a command pays for no other command's imports."""
    parser = argparse.ArgumentParser(
        prog="composer",
        description="Compose, preview and publish Gigya socialize.publishUserAction shares. "
        "Without a subcommand the window opens (on the built-in sandbox until you add a profile).",
    )
    parser.add_argument("--version", action="version", version=f"composer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, summary) in COMMANDS.items():
        if name != command:
            sub.add_parser(name, help=summary)
            continue
        module = importlib.import_module(module_name)
        chosen = sub.add_parser(name, help=summary, description=(module.__doc__ or summary).strip())
        module.configure(chosen)
        chosen.set_defaults(_run=module.run)
    return parser


def _window(argv: list[str]) -> int:
    """The window: Qt loads only when no subcommand is given."""
    from composer.gui.startup import start_window

    return start_window(argv)


def _looks_like_command(word: str) -> bool:
    """A bare word that is not a file: a mistyped subcommand, not a draft to open."""
    return word.isalpha() and not os.path.exists(word)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # "composer FILE.json" opens the window with that draft; anything else is a subcommand.
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-") and _looks_like_command(argv[0]):
        close = difflib.get_close_matches(argv[0], list(COMMANDS), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        print(f"composer: unknown command {argv[0]!r}{hint}; see 'composer --help'", file=sys.stderr)
        return EXIT_USAGE
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return _window(argv)
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    if args.command is None:
        return _window([])
    for note in files.move_from_old_places():
        print(f"composer: {note}", file=sys.stderr)
    output = Output(sys.stdout)
    sys.stdout = output
    try:
        code = int(args._run(args))
        output.flush()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = output.stream
    return output.exit_code(code, sent=getattr(args, "sent", False))
