"""Each network's rules in the window: a hard limit disables Publish with a problem naming the
network, every card with a limit shows its counter, the tweet's highlight follows the text (undo and
redo too), soft rules are warnings on their card, and cards show the link as it is posted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QPalette
from PySide6.QtWidgets import QApplication

from composer.core.call.networks import NO_DOCUMENTED_LIMIT, SHORTEN_LONGER_THAN, short_code
from composer.core.contract import PROVIDER_LABELS
from composer.gui.theme import ERROR, OK
from tests.helpers.gui import show_tab, type_into


def commit_text(widget, text: str) -> None:
    """Text committed by an input method, as a whole (typing hundreds of keys is slow)."""
    show_tab(widget.window(), widget)
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def problem_texts(win) -> list[str]:
    return [win.problems.item(i).text() for i in range(win.problems.count())]


def test_a_tweet_over_280_disables_publish_and_the_highlight_follows(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.options.uid, "demo-all-ok")
    title = win.content.inputs["title"]
    twitter = win.previews.twitter
    commit_text(title, "t" * 279)
    qtbot.waitUntil(lambda: twitter.counter.text() == "279/280")
    assert win.publish_button.isEnabled() and twitter.overflow_text() == ""
    type_into(qtbot, title, "t")
    qtbot.waitUntil(lambda: twitter.counter.text() == "280/280")
    assert win.publish_button.isEnabled() and twitter.overflow_text() == ""
    type_into(qtbot, title, "u")
    qtbot.waitUntil(lambda: twitter.counter.text() == "281/280")
    assert twitter.overflow_text() == "u"
    assert twitter.counter.property("over") == "true"
    assert not win.publish_button.isEnabled()
    assert any("Twitter takes a tweet of at most 280" in text for text in problem_texts(win))
    assert "Twitter takes a tweet" in win.publish_button.toolTip()

    # it fits again: no highlight left, Publish back
    qtbot.keyClick(title, "\b")
    qtbot.waitUntil(lambda: twitter.counter.text() == "280/280")
    assert twitter.overflow_text() == "" and twitter.counter.property("over") == "false"
    qtbot.waitUntil(win.publish_button.isEnabled)



def counter_colour(card) -> str:
    return card.counter.palette().color(QPalette.ColorRole.WindowText).name()


@pytest.mark.parametrize(
    ("provider", "field", "unit", "limit"),
    [("facebook", "userMessage", "a", 63_206), ("linkedin", "userMessage", "a", 3_000), ("sina", "userMessage", "微", 140), ("twitter", "title", "t", 280)],
)
def test_each_network_over_its_limit_disables_publish(window, qtbot, provider, field, unit, limit):
    win, ctl = window
    type_into(qtbot, win.options.uid, "demo-all-ok")
    show_tab(win, win.options.enabled[provider])
    qtbot.mouseClick(win.options.enabled[provider], Qt.MouseButton.LeftButton)  # only this network is attempted
    card = win.previews.cards[provider]
    edit = win.content.inputs[field]
    show_tab(win, edit)
    for length, over in ((limit - 1, False), (limit, False), (limit + 1, True)):
        edit.setFocus()
        edit.selectAll()
        commit_text(edit, unit * length)
        qtbot.waitUntil(lambda length=length: card.counter.text() == f"{length}/{limit}")
        assert card.counter.property("over") == ("true" if over else "false")
        assert counter_colour(card) == (ERROR if over else OK)
        mine = [text for text in problem_texts(win) if f"{PROVIDER_LABELS[provider]} takes" in text]
        if over:
            qtbot.waitUntil(lambda: not win.publish_button.isEnabled())
            assert len(mine) == 1 and mine[0].startswith(f"userAction.{field}: ") and str(limit) in mine[0]
        else:
            qtbot.waitUntil(win.publish_button.isEnabled)
            assert mine == []


def test_a_card_counter_follows_undo_and_redo(window, qtbot):
    win, ctl = window
    linkedin, sina = win.previews.cards["linkedin"], win.previews.cards["sina"]
    message = win.content.inputs["userMessage"]
    commit_text(message, "m" * 3_001)
    qtbot.waitUntil(lambda: linkedin.counter.text() == "3001/3000")
    type_into(qtbot, win.content.inputs["description"], "d")  # another field: the message's next edit is an undo step of its own
    message.selectAll()
    commit_text(message, "fits")
    qtbot.waitUntil(lambda: linkedin.counter.text() == "4/3000")
    assert counter_colour(linkedin) == OK and counter_colour(sina) == OK and linkedin.remaining.text() == "2996 left"

    for action, text, colour in ((win.undo_action, "3001/3000", ERROR), (win.redo_action, "4/3000", OK), (win.undo_action, "3001/3000", ERROR)):
        action.trigger()
        qtbot.waitUntil(lambda text=text: linkedin.counter.text() == text)
        assert counter_colour(linkedin) == colour and counter_colour(sina) == colour
        assert linkedin.counter.property("over") == ("true" if colour == ERROR else "false")


def test_the_highlight_follows_undo_and_redo(window, qtbot):
    win, ctl = window
    title = win.content.inputs["title"]
    twitter = win.previews.twitter
    commit_text(title, "t" * 281)
    qtbot.waitUntil(lambda: twitter.overflow_text() == "t")
    type_into(qtbot, win.content.inputs["description"], "d")  # another field: the title's next edit is an undo step of its own
    title.selectAll()
    commit_text(title, "fits")
    qtbot.waitUntil(lambda: twitter.counter.text() == "4/280")
    assert twitter.overflow_text() == ""

    win.undo_action.trigger()
    qtbot.waitUntil(lambda: twitter.counter.text() == "281/280")
    assert twitter.overflow_text() == "t"
    win.redo_action.trigger()
    qtbot.waitUntil(lambda: twitter.counter.text() == "4/280")
    assert twitter.overflow_text() == "" and twitter.tweet.toPlainText() == "fits"
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: twitter.counter.text() == "281/280")
    assert twitter.overflow_text() == "t"


def test_every_card_with_a_limit_shows_its_counter(window, qtbot):
    win, ctl = window
    cards = win.previews.cards
    message = win.content.inputs["userMessage"]
    show_tab(win, message)
    message.setPlainText("m" * 3_000)
    qtbot.waitUntil(lambda: cards["linkedin"].counter.text() == "3000/3000")
    assert cards["linkedin"].counter.property("over") == "false"
    assert cards["facebook"].counter.text() == "3000/63206"
    assert cards["vkontakte"].counter.text() == "3000" and cards["vkontakte"].remaining.text() == NO_DOCUMENTED_LIMIT
    assert cards["renren"].remaining.text() == NO_DOCUMENTED_LIMIT
    assert cards["sina"].counter.property("over") == "true"  # a status of 140 at most
    message.setPlainText("m" * 3_001)
    qtbot.waitUntil(lambda: cards["linkedin"].counter.text() == "3001/3000")
    assert cards["linkedin"].counter.property("over") == "true"
    assert "1 over" in cards["linkedin"].remaining.text()
    assert any("LinkedIn takes a commentary of at most 3000" in text for text in problem_texts(win))
    assert not win.publish_button.isEnabled()


def test_a_fold_is_a_warning_on_its_card(window, qtbot):
    win, ctl = window
    cards = win.previews.cards
    message = win.content.inputs["userMessage"]
    show_tab(win, message)
    message.setPlainText("f" * 210)
    qtbot.waitUntil(lambda: cards["linkedin"].counter.text() == "210/3000")
    assert not cards["linkedin"].warnings.isVisibleTo(cards["linkedin"])
    message.setPlainText("f" * 211)
    qtbot.waitUntil(lambda: "see more" in cards["linkedin"].warnings.text())
    assert cards["linkedin"].warnings.isVisibleTo(cards["linkedin"])
    assert cards["linkedin"].warnings.property("severity") == "warning"
    assert not any("see more" in text for text in problem_texts(win))  # soft: the card says it, Publish is not blocked


def test_cards_show_the_link_as_posted(window, qtbot):
    win, ctl = window
    link = "https://example.com/spring"
    type_into(qtbot, win.content.inputs["title"], "Spring")
    type_into(qtbot, win.content.inputs["linkBack"], link)
    facebook = win.previews.cards["facebook"]
    short = f"http://fw.to/{short_code(link)}"
    qtbot.waitUntil(lambda: facebook.posted_link.text() == short)
    assert win.previews.twitter.tweet.toPlainText() == f"Spring {short}"
    assert facebook.domain.text() == "EXAMPLE.COM"
    show_tab(win, win.options.short_urls)
    win.options.short_urls.setCurrentIndex(win.options.short_urls.findData("never"))
    qtbot.waitUntil(lambda: facebook.posted_link.text() == link)
    assert win.previews.twitter.tweet.toPlainText() == f"Spring {link}"

    # whenRequired: shortened only over 139 characters
    win.options.short_urls.setCurrentIndex(win.options.short_urls.findData("whenRequired"))
    qtbot.waitUntil(lambda: win.previews.twitter.tweet.toPlainText() == f"Spring {link}")
    assert facebook.posted_link.text() == link
    long_link = link + "/" + "p" * (SHORTEN_LONGER_THAN - len(link))
    type_into(qtbot, win.content.inputs["linkBack"], long_link, replace=True)
    short = f"http://fw.to/{short_code(long_link)}"
    qtbot.waitUntil(lambda: facebook.posted_link.text() == short)
    assert win.previews.twitter.tweet.toPlainText() == f"Spring {short}"
    assert win.previews.cards["sina"].counter.text() == f"{(6 + 1 + 20 + 1) // 2}/140"  # "Spring\n" and the link's 10
