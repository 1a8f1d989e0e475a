"""Render the window with a draft loaded to a PNG file, offscreen, and exit (for the README's
pictures and QA reports).  --tab chooses what the left side shows; --publish first publishes the
draft to the built-in sandbox so the Result tab is filled."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from composer.core.accounts.profiles import BUILTIN_NAME
from composer.core.call.draft import DraftError, load_draft
from composer.core.contract import PROVIDERS
from composer.gui.app import build_window, create_application
from composer.gui.theme import apply_palette

TABS = ("content", "networks", "options")


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draft", help="the draft to load")
    parser.add_argument("--out", required=True, metavar="FILE.png", help="where to write the PNG")
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH", help="window size (default 1280x800)")
    parser.add_argument("--tab", choices=TABS, default="content", help="the form tab to show")
    parser.add_argument("--network", default="twitter", help="with --tab networks: the network's tab")
    parser.add_argument("--publish", action="store_true", help="publish to the built-in sandbox first and show the result")
    parser.add_argument("--dark", action="store_true", help="render with a dark palette")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        draft = load_draft(args.draft)
    except DraftError as exc:
        print(f"composer: {exc}", file=sys.stderr)
        return 2
    app = create_application()
    if args.dark:
        apply_palette(app, dark=True)
    window, controller = build_window()
    # not controller.start(): a screenshot neither takes over an earlier run's autosave nor
    # remembers a recent file; it lists the profiles so the toolbar shows them
    controller.profiles.reload_profiles()
    controller.drafts.load(draft.call, Path(args.draft).resolve())
    window.resize(*args.size)
    window.form_tabs.setCurrentIndex(TABS.index(args.tab))
    if args.tab == "networks":
        if args.network in PROVIDERS:
            window.network_tabs.setCurrentIndex(PROVIDERS.index(args.network))
    window.show()
    if args.publish:
        done: list[object] = []
        controller.publishing.finished.connect(done.append)
        if controller.publishing.publish(profile=BUILTIN_NAME):  # the built-in sandbox, as --help says
            while not done:
                app.processEvents()
                controller.publishing.runner.wait(50)
    controller.pages.settle()  # the cards and thumbnails from the linked pages
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        print(f"composer: could not write {out}", file=sys.stderr)
        return 1
    print(out)
    window.set_close_handler(None)
    window.close()
    return 0
