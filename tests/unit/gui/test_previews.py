"""The previews as a user sees them: formatting, layout, following the network being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument

from composer.core.call.draft import load_draft
from composer.core.call.model import MediaItem
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


def test_sample_draft_shows_the_cards_built_from_its_page_and_real_images(window, qtbot):
    win, ctl = window
    ctl.drafts.load(load_draft(SAMPLE).call, SAMPLE)
    ctl.pages.settle()
    facebook = win.previews.cards["facebook"]
    qtbot.waitUntil(lambda: facebook.thumbnail.isVisible())
    assert facebook.domain.text() == "EXAMPLE STORE"  # og:site_name, not the link's domain
    assert "Card from the linked page's tags." in facebook.card_notes.text()
    assert not facebook.image.isVisible()  # the placeholder gives way to the image
    thumbnail = ctl.pages.thumbnails["https://example.com/img/spring.jpg"]
    assert (thumbnail.format, thumbnail.size) == ("jpeg", (1200, 630))
    twitter = win.previews.twitter
    assert twitter.link_card.isVisible()
    assert twitter.link_card.title.text() == "Spring collection 2026: lighter, brighter, made to last"
    qtbot.waitUntil(lambda: twitter.link_card.thumbnail.isVisible())
    assert ctl.editing.problems == []  # the demo page agrees with the sample


def test_a_reopened_draft_shows_its_cached_cards_and_images_in_its_first_frame(open_window, qtbot):
    win, ctl = open_window()
    ctl.drafts.load(load_draft(SAMPLE).call, SAMPLE)
    ctl.pages.settle()  # the page and its image are read once, and kept in the cache folder
    qtbot.waitUntil(lambda: win.previews.cards["facebook"].thumbnail.isVisible())
    again, controller = open_window(start=False)
    controller.start(str(SAMPLE))  # as `composer DRAFT` opens it, before any event is processed
    facebook = again.previews.cards["facebook"]
    assert facebook.domain.text() == "EXAMPLE STORE"
    assert facebook.thumbnail.isVisibleTo(again)
    assert not facebook.image.isVisibleTo(again)  # no placeholder in the first frame
    assert again.previews.twitter.link_card.thumbnail.isVisibleTo(again)


def test_an_unreachable_page_is_a_quiet_note(window, qtbot):
    from tests.helpers.stubs import refused_port

    win, ctl = window
    sock, port = refused_port()
    try:
        type_into(qtbot, win.content.inputs["linkBack"], f"http://127.0.0.1:{port}/article")
        qtbot.waitUntil(lambda: "could not be read" in win.previews.cards["linkedin"].card_notes.text(), timeout=10000)
    finally:
        sock.close()
    assert not any("could not be read" in p.message for p in ctl.editing.problems)


def test_page_text_is_shown_as_text_and_disagreements_are_problems(window, qtbot):
    from tests.helpers.stubs import FaultyServer, Reply

    win, ctl = window
    page = '<meta property="og:title" content="&lt;b&gt;Page&lt;/b&gt; title"><meta property="og:description" content="D">'
    with FaultyServer([Reply(200, page, "text/html")]) as server:
        type_into(qtbot, win.content.inputs["title"], "Share title")
        type_into(qtbot, win.content.inputs["linkBack"], server.url + "/p")
        ctl.pages.settle()
    facebook = win.previews.cards["facebook"]
    qtbot.waitUntil(lambda: facebook.title.text() == "<b>Page</b> title")
    assert facebook.title.textFormat() == Qt.TextFormat.PlainText
    messages = [p.message for p in ctl.editing.problems if p.field == "userAction.linkBack"]
    assert any("og:title “<b>Page</b> title” is shown, not the title" in m for m in messages)
    assert any("no twitter:card" in m for m in messages)
    assert len(server.requests) == 1  # one GET for the page, however many keystrokes


def test_an_image_below_a_network_minimum_is_a_problem_on_that_network(window, qtbot):
    win, ctl = window
    sample = REPO / "resources" / "drafts" / "multilingual.json"
    ctl.drafts.load(load_draft(sample).call, sample)
    ctl.pages.settle()
    # the video's preview image is 320x180, read with Qt's image reader
    thumbnail = ctl.pages.thumbnails["https://example.com/video/launch.jpg"]
    assert (thumbnail.format, thumbnail.size) == ("jpeg", (320, 180))
    qtbot.waitUntil(lambda: any("Facebook shows images of at least 200x200" in p.message for p in ctl.editing.problems))
    fields = {p.field for p in ctl.editing.problems if "200x200" in p.message}
    assert fields == {"userAction.mediaItems[0].previewImageURL", "userAction.linkBack"}


def test_an_oversized_media_image_is_an_error_only_on_the_networks_that_post_it(window, qtbot):
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImage

    from tests.helpers.stubs import FaultyServer, Reply

    image = QImage(2400, 2400, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "BMP")  # uncompressed: about 23 MB, past the app's own cap too
    win, ctl = window
    with FaultyServer([Reply(200, bytes(buffer.data()), "image/bmp")]) as server:
        huge = [MediaItem("image", {"src": server.url + "/huge.bmp"})]
        ctl.editing.edit("media", lambda c: setattr(c.userAction, "mediaItems", huge))
        ctl.pages.settle()
    # read up to the app's own cap, and said to be larger than that, not as large as that
    too_big = "Sina Weibo takes images up to 5,242,880 bytes (5 MB); this one is larger than 16,777,216 bytes"
    qtbot.waitUntil(lambda: any(too_big in p.message for p in ctl.editing.problems))
    assert not win.publish_button.isEnabled()
    # Twitter posts only the title and the link back: the media item is not held to its limits
    assert not any("Twitter takes images" in p.message for p in ctl.editing.problems)
    ctl.editing.edit("enabledProviders", lambda c: setattr(c, "enabledProviders", ["twitter"]))
    qtbot.waitUntil(lambda: not any("takes images" in p.message for p in ctl.editing.problems))


def test_a_customized_network_inherits_until_a_field_is_edited_and_undo_restores(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "Default")
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(1)  # Twitter
    tab = win.overrides["twitter"]
    qtbot.mouseClick(tab.customize_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.link_labels["title"].text() == "linked" and not editor.reset_buttons["title"].isVisible()
    type_into(qtbot, win.content.inputs["title"], " title")
    qtbot.waitUntil(lambda: editor.inputs["title"].text() == "Default title")  # followed the default
    type_into(qtbot, editor.inputs["title"], "!")
    qtbot.waitUntil(lambda: editor.link_labels["title"].text() == "own")
    assert editor.reset_buttons["title"].isVisible()
    assert editor.inputs["title"].property("overridden") is True  # differs, and Twitter posts it
    type_into(qtbot, win.content.inputs["title"], " again")
    qtbot.waitUntil(lambda: ctl.editing.call.userAction.title == "Default title again")
    assert ctl.editing.call.overrides["twitter"].title == "Default title!"  # its own now
    ctl.editing.undo_stack.undo()  # " again"
    ctl.editing.undo_stack.undo()  # "!"
    assert ctl.editing.call.inherited["twitter"] >= {"title"}
    assert editor.link_labels["title"].text() == "linked"


def test_the_outline_marks_tables_that_differ_where_the_network_posts_them(window, qtbot):
    win, ctl = window
    ctl.drafts.load(load_draft(SAMPLE).call, SAMPLE)
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(1)  # Twitter: own content without the default's media
    twitter = win.overrides["twitter"].editor
    assert twitter.media.table.property("overridden") is False  # Twitter posts no media
    assert twitter.inputs["title"].property("overridden") is True
    win.network_tabs.setCurrentIndex(0)  # Facebook
    ctl.editing.customize("facebook")
    ctl.editing.reset_field("facebook", "mediaItems")
    facebook = win.overrides["facebook"].editor
    ctl.editing.edit("facebook.mediaItems", lambda c: (setattr(c.overrides["facebook"], "mediaItems", []), c.set_own("facebook", "mediaItems")))
    assert facebook.media.table.property("overridden") is True
    assert facebook.link_labels["mediaItems"].text() == "own"


def test_changing_the_media_type_asks_before_dropping_and_undo_brings_it_back(window, qtbot):
    win, ctl = window
    item = MediaItem("image", {"src": "https://example.com/a.png", "href": "https://example.com/a"})
    ctl.editing.edit("seed", lambda c: setattr(c.userAction, "mediaItems", [item]))
    media = win.content.media
    asked: list[str] = []
    ctl.dialogs.confirm = lambda title, question: asked.append(question) or False
    media.type_combo.setCurrentIndex(media.type_combo.findData("flash"))
    assert "href" in asked[0]
    assert ctl.editing.call.userAction.mediaItems == [item]  # No: kept as it was
    assert media.media_type() == "image"
    ctl.dialogs.confirm = lambda title, question: True
    media.type_combo.setCurrentIndex(media.type_combo.findData("flash"))
    assert [m.to_json() for m in ctl.editing.call.userAction.mediaItems] == [{"src": "https://example.com/a.png", "type": "flash"}]
    ctl.editing.undo_stack.undo()
    assert ctl.editing.call.userAction.mediaItems == [item]
    assert media.media_type() == "image"


def test_each_card_shows_only_what_its_network_takes(window, qtbot):
    win, ctl = window
    sample = REPO / "resources" / "drafts" / "multilingual.json"
    ctl.drafts.load(load_draft(sample).call, sample)
    ctl.pages.settle()
    facebook, weibo = win.previews.cards["facebook"], win.previews.cards["sina"]
    qtbot.waitUntil(lambda: "Card from the linked page's tags." in weibo.card_notes.text())
    # the page's og:description is on Facebook's card, never on a Weibo status
    assert facebook.description.text() == "Available now, in every language."
    assert weibo.description.isHidden()
    assert "Sina Weibo does not show the description or the video" in weibo.notes.text()
    song = [MediaItem("mp3", {"src": "https://example.com/song.mp3", "title": "Around The World", "artist": "Max Raabe"})]
    ctl.editing.edit("media", lambda c: setattr(c.userAction, "mediaItems", song))
    ctl.editing.edit("linkBack", lambda c: setattr(c.userAction, "linkBack", ""))  # no page, so no page image
    qtbot.waitUntil(lambda: facebook.image.text() == "[audio] Around The World · Max Raabe")
    linkedin = win.previews.cards["linkedin"]
    assert linkedin.image.isHidden()
    assert linkedin.action.isHidden()
    assert "LinkedIn does not show the audio" in linkedin.notes.text()
