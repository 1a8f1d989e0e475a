"""Each network's rules in the window: a hard limit disables Publish with a problem naming the
network, every card with a limit shows its counter, the tweet's highlight follows the text (undo and
redo too), soft rules are warnings on their card, and cards show the link as it is posted."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from composer.core.call.networks import NO_DOCUMENTED_LIMIT, short_code
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
