"""The previews as a user sees them: formatting, layout, following the network being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument

from tests.helpers.gui import type_into


def _bold_words(html: str) -> list[str]:
    """The words Qt draws in bold when it renders ``html`` as a rich-text label does."""
    document = QTextDocument()
    document.setHtml(html)
    words: list[str] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                words.extend(fragment.text().split())
            iterator += 1
        block = block.next()
    return words


def test_kept_tags_format_the_message_and_others_are_stripped(window, qtbot):
    win, _ = window
    type_into(qtbot, win.content.inputs["userMessage"], "Say <b>loud</b> <a href='https://evil.example'>quiet</a>")
    message = win.previews.cards["facebook"].message
    qtbot.waitUntil(lambda: "loud" in message.text())
    assert message.textFormat() == Qt.TextFormat.RichText
    assert _bold_words(message.text()) == ["loud"]
    document = QTextDocument()
    document.setHtml(message.text())
    assert document.toPlainText() == "Say loud quiet"
    assert "href" not in message.text()


def test_hostile_message_is_shown_as_text(window, qtbot):
    win, _ = window
    hostile = '<img src=x onerror=alert(1)>&lt;b&gt;not bold&lt;/b&gt; <b style="font-size:90px">big</b>'
    type_into(qtbot, win.content.inputs["userMessage"], hostile)
    message = win.previews.cards["linkedin"].message
    qtbot.waitUntil(lambda: "big" in message.text())
    assert message.text() == "&lt;b&gt;not bold&lt;/b&gt; <b>big</b>"
    assert _bold_words(message.text()) == ["big"]
