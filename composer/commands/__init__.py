"""The command line's subcommands.  Each module has ``configure(parser)`` and ``run(args) -> int``;
``composer`` loads only the module of the subcommand it runs (see ``composer.cli.build_parser``)."""

from argparse import ArgumentTypeError

#: subcommand name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "preview": ("composer.commands.preview", "show what each network will receive, and every problem"),
    "publish": ("composer.commands.publish", "validate and publish a draft"),
    "run": ("composer.commands.run", "run a test plan: many shares, each against its expected outcome"),
    "sandbox": ("composer.commands.sandbox", "run the built-in sandbox server"),
    "profile": ("composer.commands.profile", "list, add, edit, remove and test credential profiles"),
    "history": ("composer.commands.history", "list past publish attempts"),
    "screenshot": ("composer.commands.screenshot", "render the window with a draft to a PNG file"),
    "desktop": ("composer.commands.desktop", "put Composer in the desktop's menu (install) or take it out (uninstall)"),
}

#: what a command stopped by Ctrl+C exits with: 128 + SIGINT, as shells report it
EXIT_INTERRUPTED = 130


# --- argument types shared by the subcommands (a bad value is a usage error, exit 2) ---

#: our choice: a day; no request or wait of this tool needs longer, and a bigger number is a typo
MAX_SECONDS = 86400


def seconds(text: str) -> float:
    """argparse type: a finite, positive number of seconds up to a day."""
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= MAX_SECONDS:  # also refuses nan and inf
        raise ArgumentTypeError(f"{text!r} is out of range: the seconds must be more than 0 and at most {MAX_SECONDS}")
    return value


def count(text: str) -> int:
    """argparse type: a whole number from 0 to 2**31 (what SQLite and the OS take)."""
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**31:
        raise ArgumentTypeError(f"{text!r} is out of range (0 to {2**31 - 1})")
    return value
