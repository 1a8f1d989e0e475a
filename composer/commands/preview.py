"""Show, per provider, whether it will be attempted and why, what is sent, what is shown, the link
as that network receives it, the length of its text against its limit (Twitter's weighted), then
every problem.  With --fetch, also each linked page's tags and the card every network builds from
them (links to example.com are read from the built-in sandbox's demo pages), and each image's
format and file size against every network's limits; its pixel size is read only by the window,
with Qt's image reader, which the command line does not load.  Exit 0 without errors, 1 when
validation found errors, 2 when the draft cannot be read."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from composer.core.call.draft import DraftError, load_draft
from composer.core.call.model import UserAction, eligible_providers
from composer.core.call.preview import ProviderPreview, preview
from composer.core.call.validation import has_errors, validate
from composer.core.pages.cache import cached_image, cached_page, store_image, store_page
from composer.core.pages.cards import CardCheck, contents_of, network_cards, page_for, page_problems
from composer.core.pages.fetch import IMAGE_MAX_BYTES, IMAGE_TIMEOUT_S, FetchError, fetch_page, http_get
from composer.core.pages.images import ImageFacts, image_problems, images_named, larger_than, sniffed_facts
from composer.core.pages.tags import PageResult, is_web_address
from composer.core.units import byte_count


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
    parser.add_argument(
        "--fetch",
        action="store_true",
        help="read each linked page (one GET, short timeout) and show the card each network builds from its og: and twitter: tags; "
        "check each image's format and file size (its pixel size only the window checks)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        draft = load_draft(args.draft)
    except DraftError as exc:
        print(f"composer: {exc}", file=sys.stderr)
        return 2
    previews = preview(draft.call)
    problems = draft.notes + validate(draft.call, args.approved_domain or None)
    cards: dict[str, CardCheck] = {}
    notes: dict[str, list[str]] = {}
    images: list[dict] = []
    if args.fetch:
        contents = contents_of(draft.call)
        pages = read_pages(contents)
        cards = network_cards(contents, pages)
        problems += page_problems(draft.call, contents, cards)
        facts, images = read_images(images_named(contents, cards))
        eligible = eligible_providers(draft.call.enabledProviders, draft.call.disabledProviders)
        problems += image_problems(draft.call, contents, cards, facts, eligible)
        for p in previews:
            page = page_for(contents[p.provider], pages)
            notes[p.provider] = [page.note] if page and page.note else []
    if args.json:
        out = {"providers": [_provider_json(p, cards.get(p.provider), notes.get(p.provider, []), args.fetch) for p in previews], "problems": [p.to_json() for p in problems]}
        if args.fetch:
            out["images"] = images
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_text(previews, problems, cards, notes, images if args.fetch else None))
    return 1 if has_errors(problems) else 0


def read_pages(contents: Mapping[str, UserAction]) -> dict[str, PageResult]:
    """Every page the networks' contents link back to, read once each (from the cache when fresh)."""
    pages: dict[str, PageResult] = {}
    for ua in contents.values():
        url = ua.linkBack.strip()
        if url in pages or not is_web_address(url):
            continue
        page = cached_page(url)
        if page is None:
            page = fetch_page(url)
            store_page(page)
        pages[url] = page
    return pages


def read_images(urls: list[str]) -> tuple[dict[str, ImageFacts], list[dict]]:
    """The format and size in bytes of each image (from the cache when fresh, else one GET each),
    and for the output each image's ``url``, ``format``, ``bytes`` and ``note`` (why it could not be
    read; pixel sizes are left to the window)."""
    facts: dict[str, ImageFacts] = {}
    report: list[dict] = []
    for url in urls:
        data, content_type, note = cached_image(url), "", ""
        if data is None:
            try:
                fetched = http_get(url, accept="image/*", timeout=IMAGE_TIMEOUT_S, max_bytes=IMAGE_MAX_BYTES)
            except FetchError as exc:
                report.append({"url": url, "format": "", "bytes": None, "note": f"the image could not be read: {exc}"})
                continue
            data, content_type = fetched.body, fetched.content_type
            if fetched.truncated:
                note = larger_than(IMAGE_MAX_BYTES)
            else:
                store_image(url, data)
        found = sniffed_facts(data, content_type)
        if note:
            found = ImageFacts(found.format, None, IMAGE_MAX_BYTES, larger=True)
        facts[url] = found
        # the size of an image read only up to the cap is not known: the note says it is larger
        report.append({"url": url, "format": found.format, "bytes": None if found.larger else found.bytes, "note": note})
    return facts, report


def _provider_json(p: ProviderPreview, check: CardCheck | None, notes: list[str], fetched: bool) -> dict:
    out = p.to_json()
    if fetched:
        out["card"] = check.card.to_json() if check and check.card else None
        out["notes"] = out["notes"] + notes
    return out


def render_text(previews, problems, cards=None, page_notes=None, images=None) -> str:
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
            if cards and p.provider in cards:
                card = cards[p.provider].card
                shown = " · ".join(x for x in (card.title, card.site, card.image) if x) + f" (from the {card.source})" if card else "(no card)"
                lines.append("   card:  " + shown)
            for note in [*p.notes, *(page_notes or {}).get(p.provider, [])]:
                lines.append(f"   note:  {note}")
            for warning in p.warnings:
                lines.append(f"   warning: {warning}")
        lines.append("")
    if images is not None:
        lines.append(f"Images ({len(images)}; format and file size checked, pixel size only in the window):")
        for image in images:
            read = image["note"] or f"{image['format'] or 'unknown format'}, {byte_count(image['bytes'])}"
            lines.append(f"  {image['url']}: {read}")
        lines.append("")
    if problems:
        lines.append(f"Problems ({len(problems)}):")
        lines.extend(f"  {p}" for p in problems)
    else:
        lines.append("No problems.")
    return "\n".join(lines)
