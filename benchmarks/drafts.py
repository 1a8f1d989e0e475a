"""The maximal draft the figures use: six overrides, ten media items, long CJK, emoji and URL text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.core.call.model import PublishCall, UserAction

CJK = "新しいコレクションが登場しました。軽くて明るく、長く使えるデザインです。"
EMOJI = "🎉👩‍👩‍👧‍👦🇯🇵✨🔥"
URL = "https://example.com/spring-2026/collections/linen/recycled-cotton?utm_source=composer&utm_medium=share"


def maximal_texts(tag: str) -> dict[str, str]:
    """The text fields of the maximal UserAction (importable without our code, for the floors)."""
    return {
        "userMessage": (f"{tag} {CJK} {EMOJI} <b>{URL}</b> " * 6)[:1800],
        "title": (f"{tag} {CJK}{EMOJI} {URL} " * 3)[:600],
        "linkBack": f"{URL}&n={tag}",
        "subtitle": (CJK * 4)[:120],
        "description": (f"{CJK} {EMOJI} {URL} " * 5)[:1200],
    }


def maximal_user_action(tag: str) -> UserAction:
    from composer.core.call.model import ActionLink, MediaItem, UserAction

    ua = UserAction(**maximal_texts(tag))
    ua.actionLinks = [ActionLink(title=f"Shop {i}", href=f"{URL}&link={i}") for i in range(3)]
    ua.mediaItems = [MediaItem("image", {"src": f"https://example.com/img/{tag}/{i}.jpg", "href": f"{URL}&img={i}"}) for i in range(10)]
    return ua


def maximal_call() -> PublishCall:
    from composer.core.call.model import PublishCall
    from composer.core.contract import PROVIDERS

    call = PublishCall(UID="demo-all-ok", userAction=maximal_user_action("default"))
    for provider in PROVIDERS:
        call.overrides[provider] = maximal_user_action(provider)
    call.tags = ["spring", "launch", "benchmark"]
    call.cid = "benchmark"
    call.actionAttributes = {"section": "fashion", "campaign": ["spring", "2026"]}
    return call


def maximal_draft_text() -> str:
    """The maximal draft as a draft file holds it (for "composer maximal.json")."""
    from composer.core.call.draft import dump_draft

    return dump_draft(maximal_call())
