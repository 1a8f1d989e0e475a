"""List past publish attempts, newest first (each with its id, for 'composer publish --retry-failed ID'),
or export them for a QA report."""

from __future__ import annotations

import argparse
import json
import sys

from composer.commands import count
from composer.core.storage.history import History, HistoryUnavailable, export_csv, export_json, left_out


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list of entries")
    parser.add_argument("--limit", type=count, default=20, metavar="N", help="at most N entries (default 20; 0 for all)")
    parser.add_argument("--outcome", choices=("posted", "partial", "failed", "unknown"), help="only this outcome")
    parser.add_argument("--provider", help="only attempts that tried this provider")
    parser.add_argument("--text", default="", help="only attempts whose UID, content or profile contain this text")
    parser.add_argument("--show", type=count, metavar="ID", help="print one entry in full (JSON)")
    parser.add_argument("--export", choices=("json", "csv"), help="print the selected entries in full as JSON or CSV")


def run(args: argparse.Namespace) -> int:
    if args.limit < 0:
        print("composer: --limit must be 0 or more", file=sys.stderr)
        return 2
    try:
        with History() as history:
            if history.recovered:
                print(f"note: {history.recovered}", file=sys.stderr)
            if args.show is not None:
                return _show(history, args.show)
            rows = history.rows(outcome=args.outcome or "", provider=args.provider or "", text=args.text, limit=args.limit or None)
            if args.export:
                entries, damaged = history.readable(r.id for r in rows)
                print(export_json(entries) if args.export == "json" else export_csv(entries), end="")
                if damaged:  # the export is not whole: said, and the exit code says so too
                    print(f"composer: {left_out(damaged)}", file=sys.stderr)
                    return 1
                return 0
    except HistoryUnavailable as exc:  # a full disk, a folder that cannot be read or written, a lock
        print(f"composer: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        filtered = args.outcome or args.provider or args.text
        print("No entries match these filters." if filtered else "No publish attempts recorded yet.")
        return 0
    for r in rows:
        failed = f"  failed or unknown: {','.join(r.failed)}" if r.failed else ""
        print(f"{r.id:>6}  {r.time}  {r.outcome:<8} {r.profile:<12} {r.summary[:60]}{failed}")
    return 0


def _show(history: History, entry_id: int) -> int:
    entry = history.get(entry_id)
    if entry is None:
        print(f"composer: there is no history entry {entry_id}", file=sys.stderr)
        return 1
    print(json.dumps(entry.to_json(), ensure_ascii=False, indent=2))
    return 0
