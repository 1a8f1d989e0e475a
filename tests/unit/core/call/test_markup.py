"""The user message as networks show it: the kept tags format it, every other tag is stripped as
Gigya strips it, and nothing else the user typed becomes markup."""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

import pytest

from composer.core.call.markup import KEPT_TAGS, dropped_tags, message_rich_text, plain_message, strip_to_kept


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001 - HTMLParser API
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):  # noqa: ANN001 - HTMLParser API
        self.tags.append((tag, attrs))


def tags_in(html: str) -> list[tuple[str, list]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Hello <b>world</b>", "Hello <b>world</b>"),
        ("<STRONG>loud</STRONG> <i>it</i> <u>un</u>", "<strong>loud</strong> <i>it</i> <u>un</u>"),
        ("one<br/>two<BR>three", "one<br>two<br>three"),
        ("<p>para</p>", "<p>para</p>"),
        ("typed\nline", "typed<br>line"),
        ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
        ("&lt;b&gt;not a tag&lt;/b&gt;", "&lt;b&gt;not a tag&lt;/b&gt;"),
        ("<a href='https://evil.example'>click</a>", "click"),
        ("<span style='color:red'>red</span>", "red"),
    ],
)
def test_message_rich_text(message, expected):
    assert message_rich_text(message) == expected


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<b onclick="alert(1)" style="font-size:90px">big</b>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<a href=javascript:alert(1)>x</a>",
    "<table><tr><td>cell</td></tr></table>",
    '<iframe src="https://evil.example"></iframe>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x&#62;",
    "<<b>>nested<</b>>",
    "<b>unclosed",
    "<!-- comment --><?php echo 1 ?>",
    '"><img src=x>',
]


@pytest.mark.parametrize("message", HOSTILE)
def test_only_the_kept_tags_come_through_and_never_with_attributes(message):
    for tag, attrs in tags_in(message_rich_text(message)):
        assert tag in KEPT_TAGS, message
        assert attrs == [], message


@pytest.mark.parametrize("message", HOSTILE)
def test_the_text_shown_is_the_text_gigya_keeps(message):
    """Apart from the kept tags themselves, the words are those of Gigya's stripped message."""
    shown = message_rich_text(message)
    kept_markup = strip_to_kept(message)
    for name in KEPT_TAGS:
        for form in (f"<{name}>", f"</{name}>"):
            shown = shown.replace(form, "")
    assert "<" not in shown.replace("&lt;", "")
    assert unescape(shown).split() == [w for w in unescape(_without_kept(kept_markup)).split()]


def _without_kept(text: str) -> str:
    return re.sub(r"</?\s*(?:" + "|".join(KEPT_TAGS) + r")\b[^>]*>", "", text, flags=re.IGNORECASE)


def test_angle_brackets_that_are_no_tag_stay_text():
    # HTML reads a tag only with its name right after "<": "a < b > c" is a comparison, not bold
    for text in ("a < b > c", "1<2 and 3>2", "x </ b> y"):
        assert message_rich_text(text) == escape(text, quote=False)
        assert plain_message(text) == text
        assert strip_to_kept(text) == text
        assert dropped_tags(text) == []
