"""The previews as a user sees them: formatting, layout, following the network being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument

from composer.core.call.draft import load_draft
from tests.helpers.environment import REPO
from tests.helpers.gui import type_into

SAMPLE = REPO / "resources" / "drafts" / "product-launch.json"


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


def test_a_long_tweet_is_shown_whole(window, qtbot):
    win, ctl = window
    win.resize(1024, 640)
    tweet = win.previews.twitter.tweet
    type_into(qtbot, win.content.inputs["title"], "short")
    qtbot.waitUntil(lambda: tweet.toPlainText() == "short")
    short_height = tweet.height()
    type_into(qtbot, win.content.inputs["title"], " and a much longer tweet" * 14)
    qtbot.waitUntil(lambda: tweet.toPlainText().endswith("tweet"))
    qtbot.waitUntil(lambda: tweet.height() > 3 * short_height)
    assert tweet.verticalScrollBar().maximum() == 0  # every line fits: nothing is cut or scrolled


def test_problems_take_no_room_when_empty(window, qtbot):
    win, ctl = window
    win.resize(1024, 640)
    ctl.drafts.load(load_draft(SAMPLE).call, SAMPLE)
    qtbot.waitUntil(lambda: win.problems.empty)
    qtbot.waitUntil(lambda: win.bottom_tabs.height() < win.previews.height() // 3)
    folded = win.bottom_tabs.height()
    type_into(qtbot, win.content.inputs["linkBack"], "not a url")
    qtbot.waitUntil(lambda: not win.problems.empty)
    qtbot.waitUntil(lambda: win.bottom_tabs.height() > 2 * folded)


def test_previews_follow_the_network_being_edited(window, qtbot):
    win, ctl = window
    win.resize(1024, 640)
    twitter = win.previews.twitter
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: win.previews.verticalScrollBar().value() < twitter.y())
    win.network_tabs.setCurrentIndex(1)  # Twitter
    qtbot.waitUntil(lambda: abs(twitter.mapTo(win.previews.viewport(), twitter.rect().topLeft()).y()) < 20)
    win.previews.verticalScrollBar().setValue(0)
    tab = win.overrides["twitter"]
    qtbot.mouseClick(tab.customize_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, tab.editor.inputs["title"], "x")
    qtbot.waitUntil(lambda: abs(twitter.mapTo(win.previews.viewport(), twitter.rect().topLeft()).y()) < 20)


def test_no_sideways_scrolling_at_1024_by_640(window, qtbot):
    from PySide6.QtWidgets import QScrollArea

    win, ctl = window
    win.resize(1024, 640)
    for index in range(win.form_tabs.count()):
        win.form_tabs.setCurrentIndex(index)
        if index == 1:
            for network in range(win.network_tabs.count()):
                win.network_tabs.setCurrentIndex(network)
        qtbot.wait(0)
        for area in win.form_tabs.findChildren(QScrollArea):
            if area.isVisible():
                area.widget().layout().activate()
                assert area.horizontalScrollBar().maximum() == 0, win.form_tabs.tabText(index)
