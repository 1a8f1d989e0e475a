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
from composer.core.storage import files
from composer.gui.app import build_window, create_application
from composer.gui.theme import apply_palette

TABS = ("content", "networks", "options")
#: our choice: a side shorter than this shows nothing readable (and the window keeps its own
#: minimum size, larger than this, whatever it is asked)
MIN_SIDE = 100
#: our choice: wider than an 8K display (7680 px), well inside the 32767 px QPainter draws reliably
#: (https://doc.qt.io/qt-6/qpainter.html#limitations), and the picture, 4 bytes a pixel, stays
#: within 256 MB
MAX_SIDE = 8192


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,9})x(\d{1,9})", text.strip())
    width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, each from {MIN_SIDE} to {MAX_SIDE}, such as 1280x800; got {text!r}"
        )
    return width, height


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draft", help="the draft to load")
    parser.add_argument("--out", required=True, metavar="FILE.png", help="where to write the PNG")
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH", help="window size (default 1280x800)")
    parser.add_argument("--tab", choices=TABS, default="content", help="the form tab to show")
    parser.add_argument(
        "--network", choices=PROVIDERS, metavar="N",
        help=f"with --tab networks: the network's tab, one of {', '.join(PROVIDERS)} (default twitter)",
    )
    parser.add_argument("--publish", action="store_true", help="publish to the built-in sandbox first and show the result")
    parser.add_argument("--dark", action="store_true", help="render with a dark palette")


def run(args: argparse.Namespace) -> int:
    if args.network and args.tab != "networks":
        # as --help says, --network chooses within --tab networks; a shot without it would not show it
        print("composer: --network needs --tab networks", file=sys.stderr)
        return 2
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
    controller.drafts.load(draft.call, files.as_named(args.draft))
    window.resize(*args.size)
    window.form_tabs.setCurrentIndex(TABS.index(args.tab))
    if args.tab == "networks":
        window.network_tabs.setCurrentIndex(PROVIDERS.index(args.network or "twitter"))
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
