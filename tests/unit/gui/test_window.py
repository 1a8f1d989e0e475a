"""The composer window, driven as a user would: typing, clicking, keyboard shortcuts."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication, QLabel

from composer.core.call.draft import load_draft
from composer.core.call.model import PublishCall
from composer.core.contract import PROVIDERS
from composer.gui.dialogs import Choice
from tests.helpers.environment import REPO
from tests.helpers.gui import show_tab, type_into

SAMPLE = REPO / "resources" / "drafts" / "product-launch.json"


def commit_text(widget, text: str) -> None:
    """Type text the way an input method does (CJK, emoji): one committed string."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_typing_updates_model_and_previews(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "Hello world")
    type_into(qtbot, win.content.inputs["linkBack"], "https://example.com/a")
    assert ctl.editing.call.userAction.title == "Hello world"
    qtbot.waitUntil(lambda: win.previews.twitter.counter.text() == f"{11 + 1 + 23}/280")
    facebook = win.previews.cards["facebook"]
    assert facebook.title.text() == "Hello world"
    assert facebook.domain.text() == "EXAMPLE.COM"


def test_user_text_is_never_html(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "<b>bold</b> & <i>x</i>")
    qtbot.waitUntil(lambda: win.previews.cards["linkedin"].title.text() == "<b>bold</b> & <i>x</i>")
    label = win.previews.cards["linkedin"].title
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert win.previews.twitter.tweet.toPlainText().startswith("<b>bold</b>")


def test_twitter_counter_and_overflow(window, qtbot):
    win, ctl = window
    title = "あ" * 150  # CJK weighs 2: 300 units
    commit_text(win.content.inputs["title"], title)
    twitter = win.previews.twitter
    qtbot.waitUntil(lambda: twitter.counter.text() == "300/280")
    assert twitter.counter.property("over") == "true"
    assert "20 over" in twitter.remaining.text()
    assert twitter.overflow_text() == "あ" * 10


def test_preview_text_can_be_selected_and_copied(window, qtbot):
    """A preview's text is selectable with the mouse and copied with Ctrl+C, though its label only
    becomes selectable when first clicked (a selectable label lays its text out a second time)."""
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    title = win.previews.cards["facebook"].title
    assert title.isVisible() and title.text()
    assert not title.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse  # not used yet
    middle = title.height() // 2
    qtbot.mousePress(title, Qt.MouseButton.LeftButton, pos=QPoint(1, middle))
    qtbot.mouseMove(title, QPoint(title.width() - 1, middle))
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton, pos=QPoint(title.width() - 1, middle))
    assert title.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    assert title.hasFocus()
    assert title.selectedText() and title.text().startswith(title.selectedText())
    QApplication.clipboard().clear()
    qtbot.keyClick(title, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == title.selectedText()
    description = win.previews.cards["linkedin"].description
    QApplication.sendEvent(description, QEnterEvent(QPointF(1, 1), QPointF(1, 1), QPointF(1, 1)))  # the pointer passes over it
    assert not description.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.mouseDClick(description, Qt.MouseButton.LeftButton, pos=QPoint(3, description.height() // 2))
    assert description.hasSelectedText()  # the first double click selects a word


def test_override_twitter_changes_only_twitter(window, qtbot):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    ctl.editing.reset_provider("twitter")
    tab = win.overrides["twitter"]
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("twitter"))
    assert tab.editor.inputs["title"].isReadOnly()
    qtbot.mouseClick(tab.customize_button, Qt.MouseButton.LeftButton)
    assert "twitter" in ctl.editing.call.overrides
    title = tab.editor.inputs["title"]
    assert not title.isReadOnly()
    title.selectAll()
    qtbot.keyClicks(title, "Only on Twitter")
    assert ctl.editing.call.overrides["twitter"].title == "Only on Twitter"
    assert ctl.editing.call.userAction.title != "Only on Twitter"
    qtbot.waitUntil(lambda: win.previews.twitter.tweet.toPlainText().startswith("Only on Twitter"))
    assert win.previews.cards["facebook"].title.text() == ctl.editing.call.userAction.title
    assert tab.editor.reset_buttons["title"].isVisible()
    assert title.property("overridden") is True
    assert "twitterUserAction" in ctl.editing.call.to_params()
    # reset the field, then the provider
    qtbot.mouseClick(tab.editor.reset_buttons["title"], Qt.MouseButton.LeftButton)
    assert ctl.editing.call.overrides["twitter"].title == ctl.editing.call.userAction.title
    assert not tab.editor.reset_buttons["title"].isVisible()
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert "twitter" not in ctl.editing.call.overrides
    assert "twitterUserAction" not in ctl.editing.call.to_params()


def test_media_editor_one_type(window, qtbot):
    win, ctl = window
    media = win.content.media
    show_tab(win, media)
    qtbot.mouseClick(media.add_button, Qt.MouseButton.LeftButton)
    media.table.item(0, 0).setText("https://example.com/a.png")
    assert [m.to_json() for m in ctl.editing.call.userAction.mediaItems] == [{"src": "https://example.com/a.png", "type": "image"}]
    qtbot.mouseClick(media.add_button, Qt.MouseButton.LeftButton)
    media.table.item(1, 0).setText("https://example.com/b.png")
    media.table.setCurrentCell(1, 0)
    qtbot.mouseClick(media.up_button, Qt.MouseButton.LeftButton)
    assert [m.get("src") for m in ctl.editing.call.userAction.mediaItems] == ["https://example.com/b.png", "https://example.com/a.png"]
    # switching the type converts every item and shows that type's fields
    media.type_combo.setCurrentIndex(media.type_combo.findData("flash"))
    assert {m.type for m in ctl.editing.call.userAction.mediaItems} == {"flash"}
    headers = [media.table.horizontalHeaderItem(i).text() for i in range(media.table.columnCount())]
    assert headers[:2] == ["File URL", "Preview image URL"]
    assert "previewImageURL" in media.table.horizontalHeaderItem(1).toolTip()
    media.table.setCurrentCell(0, 0)
    qtbot.mouseClick(media.remove_button, Qt.MouseButton.LeftButton)
    assert [m.get("src") for m in ctl.editing.call.userAction.mediaItems] == ["https://example.com/a.png"]


def test_validation_inline_and_publish_disabled(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "Hi")
    assert not win.publish_button.isEnabled()
    assert "UID" in win.publish_button.toolTip()
    type_into(qtbot, win.options.uid, "demo-all-ok")
    type_into(qtbot, win.content.inputs["linkBack"], "notaurl")
    qtbot.waitUntil(lambda: "absolute URL" in win.content.messages["linkBack"].text())
    assert win.content.messages["linkBack"].isVisible()
    assert not win.publish_button.isEnabled()
    win.content.inputs["linkBack"].clear()
    qtbot.keyClicks(win.content.inputs["linkBack"], "https://example.com/")
    qtbot.waitUntil(win.publish_button.isEnabled)
    # latitude out of range cannot even be typed past the validator; a draft with one is reported
    type_into(qtbot, win.options.latitude, "95")
    assert ctl.editing.call.userLocation.latitude in ("9", "")


def _activate_row(qtbot, problems, row: int) -> None:
    """A double-click as the mouse makes it: a click, then the second press."""
    centre = problems.visualItemRect(problems.item(row)).center()
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_activating_a_problem_focuses_its_field(window, qtbot):
    win, ctl = window
    win.bottom_tabs.setCurrentWidget(win.problems)
    lines = [win.problems.item(row).text() for row in range(win.problems.count())]
    assert [f"{p.field}: {p.message}" for p in ctl.editing.problems] == lines
    fields = [p.field for p in ctl.editing.problems]  # the empty draft: no UID, nothing to share
    with qtbot.waitSignal(win.problems.field_activated) as activated:
        _activate_row(qtbot, win.problems, fields.index("UID"))  # a double-click
    assert activated.args == ["UID"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.options.uid)
    win.problems.setFocus()
    win.problems.setCurrentRow(fields.index("userAction"))
    with qtbot.waitSignal(win.problems.field_activated) as activated:
        qtbot.keyClick(win.problems, Qt.Key.Key_Return)
    assert activated.args == ["userAction"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.content.inputs["title"])


def test_no_problems_is_said_by_a_row_that_leads_nowhere(window, qtbot):
    win, ctl = window
    ctl.editing.load(load_draft(REPO / "resources" / "drafts" / "product-launch.json").call)
    qtbot.waitUntil(lambda: win.problems.count() == 1 and win.problems.item(0).text() == "No problems: ready to publish.")
    win.bottom_tabs.setCurrentWidget(win.problems)
    with qtbot.assertNotEmitted(win.problems.field_activated):
        _activate_row(qtbot, win.problems, 0)
    assert not win.problems.selectedItems()
    ctl.editing.load(PublishCall())  # problems again: their rows can be picked once more
    qtbot.waitUntil(lambda: win.problems.count() == len(ctl.editing.problems) >= 2)
    win.problems.setCurrentRow(0)
    assert win.problems.selectedItems()


def test_undo_redo_every_field(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "abc")
    show_tab(win, win.options)
    qtbot.mouseClick(win.options.disabled["twitter"], Qt.MouseButton.LeftButton)
    assert ctl.editing.call.disabledProviders == ["twitter"]
    win.undo_action.trigger()
    assert ctl.editing.call.disabledProviders == []
    assert not win.options.disabled["twitter"].isChecked()
    show_tab(win, win.content)
    # Ctrl+Z inside a text field goes to the same history: typing merges into one step
    win.content.inputs["title"].setFocus()
    qtbot.keyClick(win.content.inputs["title"], Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctl.editing.call.userAction.title == ""
    assert win.content.inputs["title"].text() == ""
    win.redo_action.trigger()
    assert win.content.inputs["title"].text() == "abc"


def test_cid_counter_and_attributes(window, qtbot):
    win, ctl = window
    type_into(qtbot, win.options.cid, "x" * 101)
    qtbot.waitUntil(lambda: win.options.cid_counter.text() == "101/100")
    qtbot.waitUntil(lambda: any(p.field == "cid" for p in ctl.editing.problems))
    attrs = win.options.attributes
    qtbot.mouseClick(attrs.add_button, Qt.MouseButton.LeftButton)
    attrs.table.item(0, 0).setText("tv-show")
    attrs.table.item(0, 1).setText("glee, lost, office, fringe")
    assert ctl.editing.call.actionAttributes == {"tv-show": ["glee", "lost", "office", "fringe"]}
    assert win.options.attributes_counter.text() == "4/3 values"
    assert any(p.field == "actionAttributes" for p in ctl.editing.problems)


def test_accessibility_names_and_tooltips(window):
    win, _ = window
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    for kind in (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox):
        for widget in win.findChildren(kind):
            if widget.parent() is not None and type(widget.parent()).__name__ in ("QComboBox", "QSpinBox", "QDoubleSpinBox"):
                continue
            if not widget.objectName() and kind is QLineEdit and widget.parentWidget() and widget.parentWidget().inherits("QAbstractSpinBox"):
                continue
            if kind in (QLineEdit, QPlainTextEdit) and widget.isReadOnly() and not widget.toolTip():
                continue
            assert widget.accessibleName(), f"{kind.__name__} {widget.objectName()!r} has no accessible name"
            assert widget.toolTip(), f"{kind.__name__} {widget.objectName()!r} has no tooltip"


@pytest.mark.parametrize("text", ["<b>not bold</b> & <script>x</script>", "5 &lt; 6 &amp; 7", "two\nlines <br> here", "café 中文 😀"])
def test_tooltips_show_markup_in_user_and_server_text_as_text(qapp, text):
    """Tags, entities and line breaks come back as typed (rich text still folds runs of spaces)."""
    from PySide6 import QtGui

    from composer.gui.content_editor import plain_tooltip

    tooltip = plain_tooltip(text)
    assert QtGui.Qt.mightBeRichText(tooltip)  # so Qt renders it as the escaped rich text it is
    shown = QtGui.QTextDocument()
    shown.setHtml(tooltip)
    assert shown.toPlainText() == text


def test_buddies(window):
    from PySide6.QtWidgets import QLabel

    win, _ = window
    win.form_tabs.setCurrentIndex(2)  # the Options page is built when first opened
    buddies = [label.buddy() for label in win.findChildren(QLabel) if label.buddy() is not None]
    names = {b.objectName() for b in buddies}
    for expected in ("userAction.title", "userAction.linkBack", "UID", "cid", "userLocation.latitude"):
        assert expected in names


def test_no_text_cut_off_at_1280x800(window, qtbot):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    win.resize(1280, 800)
    QApplication.processEvents()
    from PySide6.QtWidgets import QLabel, QPushButton

    for button in win.findChildren(QPushButton):
        if button.isVisible():
            assert button.width() >= button.sizeHint().width() - 1, button.text()
    for label in win.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text():
            assert label.width() >= label.minimumSizeHint().width() - 1, label.text()


def test_drop_image_url_on_media(window, qtbot):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    win, ctl = window
    media = win.content.media
    show_tab(win, media)
    media.type_combo.setCurrentIndex(media.type_combo.findData("mp3"))
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/dropped.png")])
    viewport = media.table.viewport()
    point = QPointF(viewport.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(point.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    # a dropped image switches the one media type to image and adds the item
    assert [m.to_json() for m in ctl.editing.call.userAction.mediaItems] == [{"src": "https://example.com/dropped.png", "type": "image"}]
    assert media.media_type() == "image"


def test_cell_being_edited_is_part_of_what_is_sent(window, qtbot):
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    links = win.content.links
    show_tab(win, links)
    item = links.table.item(0, 1)
    links.table.setCurrentItem(item)
    links.table.editItem(item)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not links.table
    editor.selectAll()
    qtbot.keyClicks(editor, "https://example.com/new")
    assert ctl.editing.call.userAction.actionLinks[0].href == "https://example.com/shop"  # not committed yet
    win.commit_edits()  # what Publish, Save and Copy as cURL do first
    assert ctl.editing.call.userAction.actionLinks[0].href == "https://example.com/new"


def test_media_type_change_and_edits_keep_fields(window, qtbot):
    from composer.core.call.model import MediaItem

    win, ctl = window
    media = win.content.media
    show_tab(win, media)
    ctl.editing.edit("seed", lambda c: setattr(c.userAction, "mediaItems", [MediaItem("image", {"src": "https://example.com/a.png", "href": "https://example.com/a"})]))
    ctl.dialogs.confirm = lambda title, question: True  # "an mp3 item has no place for href: switch anyway?"
    media.type_combo.setCurrentIndex(media.type_combo.findData("mp3"))
    assert [m.to_json() for m in ctl.editing.call.userAction.mediaItems] == [{"src": "https://example.com/a.png", "type": "mp3"}]
    ctl.editing.edit(
        "seed2",
        lambda c: setattr(
            c.userAction,
            "mediaItems",
            [MediaItem("flash", {"src": "https://example.com/v.mp4", "previewImageURL": "https://example.com/p.jpg", "width": "640", "extra": "kept"})],
        ),
    )
    # editing one visible cell keeps every other field of the item
    media.table.item(0, 0).setText("https://example.com/w.mp4")
    assert ctl.editing.call.userAction.mediaItems[0].values == {
        "src": "https://example.com/w.mp4",
        "previewImageURL": "https://example.com/p.jpg",
        "width": "640",
        "extra": "kept",
    }


def test_attribute_rows_with_the_same_key_gather_values(window, qtbot):
    win, ctl = window
    attrs = win.options.attributes
    show_tab(win, attrs)
    qtbot.mouseClick(attrs.add_button, Qt.MouseButton.LeftButton)
    attrs.table.item(0, 0).setText("color")
    attrs.table.item(0, 1).setText("red, blue")
    qtbot.mouseClick(attrs.add_button, Qt.MouseButton.LeftButton)
    attrs.table.item(1, 0).setText("color")
    assert ctl.editing.call.actionAttributes == {"color": ["red", "blue"]}
    assert attrs.table.item(0, 1).text() == "red, blue"  # nothing wiped
    attrs.table.item(1, 1).setText("green")
    assert ctl.editing.call.actionAttributes == {"color": ["red", "blue", "green"]}
    assert attrs.table.rowCount() == 2


def test_an_earlier_versions_two_autosaves_are_both_offered(qtbot, open_window):
    """An earlier version left an offer nobody answered (autosave.recovered.json) and crashed again
    (autosave.json): both drafts are offered, newest first, one after the other."""
    import json as _json

    from composer.core.storage import files

    data = files.data_dir()
    older = {"UID": "demo-all-ok", "userAction": {"title": "Older crash", "linkBack": "https://example.com/"}}
    newer = {"UID": "demo-all-ok", "userAction": {"title": "Newer crash", "linkBack": "https://example.com/"}}
    files.atomic_write(data / "autosave.recovered.json", _json.dumps({"version": 1, "path": None, "draft": older}))
    os.utime(data / "autosave.recovered.json", (1, 1))
    files.atomic_write(data / "autosave.json", _json.dumps({"version": 1, "path": None, "draft": newer}))
    win, ctl = open_window()
    assert not (data / "autosave.json").exists() and not (data / "autosave.recovered.json").exists()
    assert win.restore_banner.isVisible()
    assert "\u201cNewer crash\u201d" in win.restore_banner.message.text()
    assert "1 more after this one." in win.restore_banner.message.text()
    qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert ctl.editing.call.userAction.title == "Newer crash"
    assert win.restore_banner.isVisible() and "\u201cOlder crash\u201d" in win.restore_banner.message.text()
    assert "more after" not in win.restore_banner.message.text()
    ctl.dialogs.ask_save_changes = lambda _name: Choice.DISCARD
    qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert ctl.editing.call.userAction.title == "Older crash"
    assert not win.restore_banner.isVisible()


def test_restore_offer_survives_new_typing_and_undo_never_loses_it(qtbot, open_window):
    import json as _json

    from composer.core.storage import files

    crashed = files.data_dir() / "autosaves" / "crashed.json"
    draft = {"UID": "demo-all-ok", "userAction": {"title": "Crashed work", "linkBack": "https://example.com/"}}
    files.atomic_write(crashed, _json.dumps({"version": 1, "path": None, "draft": draft}))
    win, ctl = open_window()
    assert win.restore_banner.isVisible()
    type_into(qtbot, win.content.inputs["title"], "new work")
    own = ctl.drafts.autosave.path
    qtbot.waitUntil(own.exists, timeout=5000)
    ctl.drafts.autosave_runner.wait(5000)
    # the crashed session's work is still on disk, untouched by this session's autosaves
    assert own != crashed and _json.loads(crashed.read_text())["draft"] == draft
    asked = []
    ctl.dialogs.ask_save_changes = lambda _name: asked.append(1) or Choice.DISCARD
    qtbot.mouseClick(win.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert asked, "restoring over unsaved work must ask first"
    assert ctl.editing.call.userAction.title == "Crashed work"
    qtbot.waitUntil(lambda: not crashed.exists(), timeout=5000)  # once this window's autosave holds it
    assert _json.loads(own.read_text())["draft"] == draft
    win.undo_action.trigger()
    assert ctl.editing.call.userAction.title == ""
    assert win.isWindowModified(), "undo must not turn restored work into a clean, losable draft"


def test_visible_shortcut_letters_are_unique(window):
    """Alt+letter reaches one control only, whichever form tab is shown."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    win, _ = window
    for index in range(win.form_tabs.count()):
        win.form_tabs.setCurrentIndex(index)
        QApplication.processEvents()
        seen: dict[str, str] = {}
        texts = [a.text() for a in win.menuBar().actions()]
        texts += [w.text() for kind in (QLabel, QAbstractButton) for w in win.findChildren(kind) if w.isVisible()]
        for bar in win.findChildren(QTabBar):
            if bar.isVisible():
                texts += [bar.tabText(i) for i in range(bar.count())]
        for text in texts:
            key = QKeySequence.mnemonic(text).toString()
            if key:
                assert key not in seen, f"{key} is both {seen[key]!r} and {text!r} on tab {index}"
                seen[key] = text


def test_window_size_is_remembered(open_window):
    win, _ = open_window()
    win.resize(777, 555)  # within the offscreen screen (800x600): restoreGeometry keeps windows on screen
    QApplication.processEvents()
    win.close()  # unchanged draft: closes without asking, and remembers its geometry
    assert not win.isVisible()
    again, _ = open_window(show=False)
    assert (again.width(), again.height()) == (777, 555)


def test_a_start_with_nothing_new_writes_no_settings(open_window):
    """The chosen profile and the recent files are written when they change, not rewritten (a disk
    write, 1 ms) at every start or reopening."""
    from composer.core.storage import files
    from composer.gui.settings import settings

    win, ctl = open_window(show=False)  # the first start remembers the profile
    open_window.close(win)
    ini = files.config_dir() / "composer.ini"
    assert settings().value("profile", "", type=str) == "Sandbox"
    os.utime(ini, ns=(1_000_000_000, 1_000_000_000))
    win, ctl = open_window(show=False)
    QApplication.processEvents()
    assert ini.stat().st_mtime_ns == 1_000_000_000
    assert ctl.drafts.open_path(SAMPLE)  # a new recent file: written
    assert ini.stat().st_mtime_ns != 1_000_000_000
    assert ctl.drafts.recent_files()[0] == str(SAMPLE.resolve())
    os.utime(ini, ns=(1_000_000_000, 1_000_000_000))
    assert ctl.drafts.open_path(SAMPLE)  # already the latest: nothing to write
    assert ini.stat().st_mtime_ns == 1_000_000_000
    assert ctl.drafts.recent_files()[0] == str(SAMPLE.resolve())


@pytest.mark.parametrize("good", [True, False])
def test_a_start_on_a_draft_derives_previews_and_problems_once(open_window, tmp_path, good):
    """``composer DRAFT``: the previews and problems are derived once, for the draft, not first
    for the empty draft it replaces; an unreadable draft leaves the empty one, derived all the same."""
    win, ctl = open_window(start=False)
    refreshes: list[int] = []
    ctl.editing.refreshed.connect(lambda: refreshes.append(1))
    path = SAMPLE
    if not good:
        path = tmp_path / "broken.json"
        path.write_text("{", encoding="utf-8")
    ctl.dialogs.error = lambda title, message: None  # no modal box in a test
    ctl.start(str(path))
    assert len(refreshes) == 1
    title = load_draft(SAMPLE).call.userAction.title if good else ""
    assert win.previews.cards["facebook"].title.text() == title
    shown = [win.problems.item(row).text() for row in range(win.problems.count())]
    if good:
        assert shown == ["No problems: ready to publish."]
    else:  # the empty draft lacks a UID and a title
        assert len(shown) >= 2 and all(":" in line for line in shown)


def test_options_and_result_pages_are_built_when_first_opened(qtbot, open_window):
    """Neither the first frame nor memory pays for a page nobody opens; a page built late shows
    the draft as it is by then, in its own tab, wired to the model."""
    win, ctl = open_window(show=False)
    ctl.editing.load(load_draft(SAMPLE).call)
    with qtbot.waitSignals([win.first_painted, win.ready], order="strict", timeout=5000):
        win.show()
    QApplication.processEvents()
    assert win.options_page.widget is None and win.results_page.widget is None
    assert win.publish_timeout == 30.0  # the Options page's default, without building it
    win.form_tabs.setCurrentIndex(2)  # Alt+O
    options = win.options_page.widget
    assert options is not None and win.results_page.widget is None
    assert options.inputs["UID"].text() == ctl.editing.call.UID != ""
    assert win.form_tabs.tabText(2) == "&Options" and win.form_tabs.currentWidget().isAncestorOf(options)
    type_into(qtbot, options.inputs["UID"], "-more")
    qtbot.waitUntil(lambda: ctl.editing.call.UID == load_draft(SAMPLE).call.UID + "-more")
    ctl.editing.undo_stack.undo()
    assert options.inputs["UID"].text() == load_draft(SAMPLE).call.UID
    options.timeout.setValue(12.5)
    assert win.publish_timeout == 12.5
    win.bottom_tabs.setCurrentIndex(1)
    assert win.bottom_tabs.tabText(1) == "Result" and win.bottom_tabs.currentWidget() is win.results_page.widget


def test_options_tab_opened_before_the_first_frame(qtbot, open_window):
    win, ctl = open_window(show=False)
    win.form_tabs.setCurrentIndex(2)  # Alt+O, faster than the first paint
    assert win.options_page.widget is not None
    assert win.form_tabs.currentIndex() == 2
    assert win.form_tabs.currentWidget().isAncestorOf(win.options_page.widget)
    win.bottom_tabs.setCurrentIndex(1)
    assert win.bottom_tabs.currentWidget() is win.results_page.widget
    type_into(qtbot, win.options.inputs["userLocation.latitude"], "12.5")
    qtbot.waitUntil(lambda: ctl.editing.call.userLocation.latitude == "12.5")
    with qtbot.waitSignal(win.ready, timeout=5000):
        win.show()


def _tab_from(qtbot, widget, backwards: bool = False):
    widget.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def test_tab_order_runs_through_pages_built_late(window, qtbot):
    """Pages built when first opened (Options, Result, a network's editor) keep their place in the
    Tab order, left to right, instead of trailing after the Publish button."""
    win, _ = window
    win.form_tabs.setCurrentIndex(2)
    assert _tab_from(qtbot, win.options.timeout) is win.previews  # the next thing to the right
    page = _tab_from(qtbot, win.options.uid, backwards=True)
    assert page is win.form_tabs.widget(2)  # the Options page's scroll area, then its tab bar
    assert _tab_from(qtbot, page, backwards=True) is win.form_tabs.tabBar()
    win.bottom_tabs.setCurrentIndex(1)
    back = _tab_from(qtbot, win.results.table, backwards=True)
    assert not win.options.isAncestorOf(back) and back is not win.publish_button
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("linkedin"))
    editor = win.overrides["linkedin"].editor
    last = editor.media.table
    for _ in range(12):  # from the media table to the end of the network's page
        following = _tab_from(qtbot, last)
        if not win.network_tabs.currentWidget().isAncestorOf(following):
            break
        last = following
    assert following is win.previews


def test_marked_text_boxes_get_the_same_outline_whenever_they_are_marked(window, qtbot):
    """A multi-line field marked as overridden shows the stylesheet's 2 px outline whether it was
    marked when its page was built or later, and loses it when the mark goes."""
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    native = win.content.inputs["userMessage"].frameWidth()
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("twitter"))  # overridden in the sample draft
    # outlined: what differs and Twitter posts (its title), not what it never posts (the description)
    assert win.overrides["twitter"].editor.inputs["title"].property("overridden") is True
    assert win.overrides["twitter"].editor.inputs["description"].frameWidth() == native

    def own_vkontakte_message(c):
        c.customize("vkontakte")
        c.overrides["vkontakte"].userMessage = "its own"
        c.set_own("vkontakte", "userMessage")

    ctl.editing.edit("vkontakte", own_vkontakte_message)  # before its tab is built
    win.network_tabs.setCurrentIndex(PROVIDERS.index("vkontakte"))
    assert win.overrides["vkontakte"].editor.inputs["userMessage"].frameWidth() == 2
    win.network_tabs.setCurrentIndex(PROVIDERS.index("linkedin"))
    ctl.editing.customize("linkedin")
    message = win.overrides["linkedin"].editor.inputs["userMessage"]
    assert message.property("overridden") is False and message.frameWidth() == native
    type_into(qtbot, message, " and more")
    qtbot.waitUntil(lambda: message.property("overridden") is True)
    assert message.frameWidth() == 2
    ctl.editing.reset_field("linkedin", "userMessage")
    assert message.property("overridden") is False and message.frameWidth() == native


def test_image_urls_dropped_onto_the_media_table_become_media_items(window, qtbot):
    """The viewport accepts the drag (a scroll area passes acceptDrops on to it), and a drop of
    links adds one image item per http(s) link."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    win, ctl = window
    table = win.content.media.table
    viewport = table.viewport()
    assert viewport.acceptDrops()
    data = QMimeData()
    data.setUrls([QUrl("https://example.com/a.jpg"), QUrl("file:///etc/passwd"), QUrl("https://example.com/b.png")])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    qtbot.waitUntil(lambda: len(ctl.editing.call.userAction.mediaItems) == 2)
    assert [item.values["src"] for item in ctl.editing.call.userAction.mediaItems] == ["https://example.com/a.jpg", "https://example.com/b.png"]


def test_the_about_box_says_the_live_call_was_retired_and_where_to_rehearse(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from composer.core.live_service import LIVE_SERVICE_TRUTH

    win, _ = window
    seen: dict[str, str] = {}

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, read_and_close)  # not shown yet
            return
        seen.update(title=box.windowTitle(), text=box.text())
        box.accept()

    QTimer.singleShot(0, read_and_close)
    help_menu = next(action.menu() for action in win.menuBar().actions() if action.text() == "&Help")
    assert win.about_action in help_menu.actions()
    win.about_action.trigger()

    assert seen["title"] == "About Composer"
    assert LIVE_SERVICE_TRUTH in seen["text"]
    assert "2021-01-31" in seen["text"] and "rehearsed" in seen["text"]


def test_the_problems_tab_counts_in_words(window, qtbot):
    win, _ = window
    type_into(qtbot, win.content.inputs["title"], "Hi")
    type_into(qtbot, win.options.uid, "demo-all-ok")
    type_into(qtbot, win.content.inputs["linkBack"], "notaurl")
    problems_tab = win.bottom_tabs.indexOf(win.problems)
    qtbot.waitUntil(lambda: win.bottom_tabs.tabText(problems_tab) == "Problems (1 error, 0 warnings)")


def test_list_buttons_say_a_or_an(window):
    win, _ = window
    win.form_tabs.setCurrentIndex(2)
    assert win.content.links.add_button.accessibleName() == "Add an action link"
    assert win.content.media.add_button.toolTip() == "Add a media item"
    assert win.options.attributes.add_button.accessibleName() == "Add an attribute"


def test_tab_reaches_the_media_type_before_the_media_table(window, qtbot):
    win, _ = window
    media = win.content.media
    assert _tab_from(qtbot, win.content.links.down_button) is media.type_combo
    walked = [_tab_from(qtbot, media.type_combo)]
    for _ in range(4):
        walked.append(_tab_from(qtbot, walked[-1]))
    assert walked == [media.table, media.add_button, media.remove_button, media.up_button, media.down_button]


def test_a_customized_networks_tables_edit_as_the_defaults_do(window, qtbot):
    """Add opens the new row's first cell for typing, without Qt's "editing failed" warning (a
    Qt warning fails the test), and Enter carries the typing into the model."""
    win, ctl = window
    type_into(qtbot, win.content.inputs["title"], "T")
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("facebook"))
    tab = win.overrides["facebook"]
    qtbot.mouseClick(tab.customize_button, Qt.MouseButton.LeftButton)
    for own, default in ((tab.editor.links, win.content.links), (tab.editor.media, win.content.media)):
        assert own.table.editTriggers() == default.table.editTriggers()
    links = tab.editor.links
    qtbot.mouseClick(links.add_button, Qt.MouseButton.LeftButton)
    assert links.table.state() == links.table.State.EditingState
    qtbot.waitUntil(lambda: links.table.isAncestorOf(QApplication.focusWidget()) and QApplication.focusWidget() is not links.table.viewport())
    qtbot.keyClicks(QApplication.focusWidget(), "Buy")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [(a.title, a.href) for a in ctl.editing.call.overrides["facebook"].actionLinks] == [("Buy", "")])


def _cut_off_wrapped_labels(root) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [
        label.text()
        for label in root.findChildren(QLabel)
        if label.isVisible() and label.wordWrap() and label.text() and label.height() < label.heightForWidth(label.width()) - 1
    ]


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_a_field_message_gets_the_height_it_wraps_to_when_a_draft_opens(window, qtbot, size):
    """The Link back's warnings about the page wrap to four lines at 1024 px: all four show."""
    win, ctl = window
    win.resize(*size)
    QApplication.processEvents()
    ctl.drafts.open_path(REPO / "resources" / "drafts" / "partial-failure.json", confirmed=True)
    ctl.pages.settle()
    qtbot.waitUntil(lambda: win.content.messages["linkBack"].isVisible())
    qtbot.waitUntil(lambda: not _cut_off_wrapped_labels(win))


def test_a_long_message_under_an_options_field_shows_whole_at_1024_by_640(window, qtbot):
    """The callback's message quotes the text typed, so it wraps to several lines; under the
    provider boxes, one line per provider in both lists.  Each holds the height its text wraps to
    at its own width as its minimum, as the Content page's messages do, so no layout pass (the
    first after the message appears included) gives it less."""
    win, _ctl = window
    win.resize(1024, 640)
    QApplication.processEvents()
    options = win.options
    type_into(qtbot, options.callback, "show the answer in the page of the campaign for the spring launch of the new product line")
    for provider in PROVIDERS:
        options.enabled[provider].setChecked(True)
        options.disabled[provider].setChecked(True)
    callback, providers = options.messages["callback"], options.messages["disabledProviders"]
    qtbot.waitUntil(lambda: callback.isVisible() and providers.isVisible())
    assert callback.text().startswith("must be a JavaScript function name (got 'show the answer")
    assert len(providers.text().splitlines()) == len(PROVIDERS)
    assert callback.heightForWidth(callback.width()) >= 3 * callback.fontMetrics().lineSpacing()  # it does wrap
    qtbot.waitUntil(lambda: all(label.height() >= label.heightForWidth(label.width()) for label in (callback, providers)))
    for label in (callback, providers):
        assert label.minimumHeight() >= label.heightForWidth(label.width())
    qtbot.waitUntil(lambda: not _cut_off_wrapped_labels(options))


def test_a_long_status_ends_in_an_ellipsis_inside_the_window(window, qtbot):
    win, _ = window
    win.resize(1024, 640)
    message = "could not connect to 127.0.0.1:9: connection refused; nothing was sent. " * 6
    win.show_status(message)
    qtbot.waitUntil(lambda: win.status_label.isVisible())
    bar = win.statusBar()
    assert win.width() <= 1024  # the message does not widen the window
    assert win.status_label.geometry().right() < bar.width()
    assert win.status_label.text() == message and win.status_label.toolTip() == message
    label = win.status_label
    shown = label.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, label.contentsRect().width())
    assert shown.endswith("…") and len(shown) < len(message)
    # what it paints is the elided line, not the start of the whole text cut off at the edge
    expected = QLabel(shown, label.parentWidget())
    expected.setGeometry(label.geometry())
    expected.setAlignment(label.alignment())
    assert label.grab().toImage() == expected.grab().toImage()


def test_media_type_chosen_for_an_empty_table_shows_its_columns(window, qtbot):
    win, ctl = window
    media = win.content.media
    show_tab(win, media)
    media.type_combo.setCurrentIndex(media.type_combo.findData("mp3"))
    headers = [media.table.horizontalHeaderItem(c).text() for c in range(media.table.columnCount())]
    assert headers == ["File URL", "Title", "Artist", "Album"]  # not the images' File URL and Link URL
    qtbot.mouseClick(media.add_button, Qt.MouseButton.LeftButton)
    assert [m.type for m in ctl.editing.call.userAction.mediaItems] == ["mp3"]
    assert media.table.columnCount() == 4


def test_a_reset_by_keyboard_keeps_the_focus_where_the_user_is(window, qtbot):
    """↺ and "Reset all to default" hide once pressed: the focus goes to the field linked again and
    to "Customize", not to the top of the page."""
    win, ctl = window
    ctl.editing.load(load_draft(SAMPLE).call)
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("linkedin"))
    tab = win.overrides["linkedin"]
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)  # focus moves only in the active window
    qtbot.mouseClick(tab.customize_button, Qt.MouseButton.LeftButton)
    title = tab.editor.inputs["title"]
    title.setFocus()
    qtbot.keyClicks(title, " (LinkedIn)")
    reset = tab.editor.reset_buttons["title"]
    reset.setFocus()
    qtbot.keyClick(reset, Qt.Key.Key_Space)
    assert not reset.isVisible() and "title" in ctl.editing.call.inherited["linkedin"]
    assert QApplication.focusWidget() is title
    tab.reset_button.setFocus()
    qtbot.keyClick(tab.reset_button, Qt.Key.Key_Space)
    assert "linkedin" not in ctl.editing.call.overrides
    assert QApplication.focusWidget() is tab.customize_button
