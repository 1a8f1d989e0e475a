"""Show, per provider, whether it will be attempted and why, what is sent, what is shown, the link
as that network receives it, the length of its text against its limit (Twitter's weighted), then
every problem.  Exit 0 without errors, 1 when validation
found errors, 2 when the draft cannot be read."""

from __future__ import annotations

import argparse
import json
import sys

from composer.core.call.draft import DraftError, load_draft
from composer.core.call.preview import preview
from composer.core.call.validation import has_errors, validate


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draft", help="the draft file (JSON; see the README)")
    parser.add_argument("--json", action="store_true", help="print one JSON object: providers and problems")
    parser.add_argument(
        "--approved-domain",
        action="append",
        default=[],
        metavar="DOMAIN",
        help="warn about links outside this domain (repeatable; a profile's list is used by the window)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        draft = load_draft(args.draft)
    except DraftError as exc:
        print(f"composer: {exc}", file=sys.stderr)
        return 2
    previews = preview(draft.call)
    problems = draft.notes + validate(draft.call, args.approved_domain or None)
    if args.json:
        out = {"providers": [p.to_json() for p in previews], "problems": [p.to_json() for p in problems]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_text(previews, problems))
    return 1 if has_errors(problems) else 0


def render_text(previews, problems) -> str:
    lines: list[str] = []
    for p in previews:
        state = "attempted (if the user is connected)" if p.attempted else p.reason
        head = f"== {p.label} ({p.provider}): {state}" + ("; own content" if p.overridden else "")
        lines.append(head)
        if p.attempted:
            lines.append("   sent:  " + json.dumps(p.content, ensure_ascii=False))
            shown = p.text.replace("\n", "\n          ") if p.text else "(nothing)"
            lines.append("   shown: " + shown)
            original, posted = p.link
            if posted and posted != original:
                lines.append(f"   link:  {posted} (shortened from {original})")
            if p.twitter:
                t = p.twitter
                verdict = f"fits; {t.remaining} left" if t.valid else ("empty" if t.weighted_length == 0 else f"{-t.remaining} over")
                lines.append(f"   length: {t.weighted_length}/{t.limit} weighted ({verdict})")
            elif p.count:
                c = p.count
                verdict = f"{-c.remaining} over" if c.over else "fits" if c.limit is not None else ""
                lines.append(f"   length: {c.counter()} of its {c.name}" + (f" ({verdict})" if verdict else ""))
            for note in p.notes:
                lines.append(f"   note:  {note}")
            for warning in p.warnings:
                lines.append(f"   warning: {warning}")
        lines.append("")
    if problems:
        lines.append(f"Problems ({len(problems)}):")
        lines.extend(f"  {p}" for p in problems)
    else:
        lines.append("No problems.")
    return "\n".join(lines)
