"""A real Composer window in its own process, edited through its widgets, then left running.

tests/end2end/test_nothing_lost.py starts this script, waits for the line ``EDITED {draft}`` on stdout and
kills the process with SIGKILL while its event loop runs: the next start must offer to restore the
autosaved draft.  Run by hand: ``python tests/helpers/nothing_lost_editor.py`` (the window stays open).
"""

from __future__ import annotations

import json
import os
import sys

#: what the user typed, field by field
TITLE = "Killed mid-edit: the spring launch"
USER_MESSAGE = "Words nobody saved yet"
LINK = "https://example.com/spring"
DESCRIPTION = "Everything about the launch"
LINK_TITLE = "Read more"
LINK_HREF = "https://example.com/more"
UID = "demo-all-ok"
TWITTER_TITLE = "Only on Twitter: spring"
DISABLED = "sina"
SHORT_URLS = "never"
TAGS = "spring, launch"
CID = "campaign-42"
LATITUDE = "48.8566"
LONGITUDE = "2.3522"

_CONTENT = {
    "userMessage": USER_MESSAGE,
    "title": TITLE,
    "linkBack": LINK,
    "description": DESCRIPTION,
    "actionLinks": [{"title": LINK_TITLE, "href": LINK_HREF}],
}

#: the draft those edits make (what the restored window must hold)
EXPECTED_DRAFT = {
    "UID": UID,
    "userAction": dict(_CONTENT),
    "twitterUserAction": dict(_CONTENT, title=TWITTER_TITLE),
    "disabledProviders": [DISABLED],
    "shortURLs": SHORT_URLS,
    "tags": ["spring", "launch"],
    "cid": CID,
    "userLocation": {"latitude": 48.8566, "longitude": 2.3522},
}

#: the driver quits by itself after this long, so a crashed test never leaves it running
SELF_DESTRUCT_MS = 60_000


def apply_edits(win) -> None:  # noqa: ANN001 - MainWindow
    """Type and click as a user would: keystrokes into the inputs, clicks on buttons and boxes."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from composer.core.contract import PROVIDERS

    left = Qt.MouseButton.LeftButton
    content = win.content
    win.form_tabs.setCurrentIndex(0)
    for name, text in (("title", TITLE), ("userMessage", USER_MESSAGE), ("linkBack", LINK), ("description", DESCRIPTION)):
        widget = content.inputs[name]
        widget.setFocus()
        QTest.keyClicks(widget, text)
    QTest.mouseClick(content.links.add_button, left)
    content.links.table.item(0, 0).setText(LINK_TITLE)
    content.links.table.item(0, 1).setText(LINK_HREF)

    # Twitter gets its own title
    win.form_tabs.setCurrentIndex(1)
    win.network_tabs.setCurrentIndex(PROVIDERS.index("twitter"))
    tab = win.overrides["twitter"]
    QTest.mouseClick(tab.customize_button, left)
    title = tab.editor.inputs["title"]
    title.setFocus()
    title.selectAll()
    QTest.keyClicks(title, TWITTER_TITLE)

    # options
    win.form_tabs.setCurrentIndex(2)
    options = win.options
    for widget, text in ((options.uid, UID), (options.tags, TAGS), (options.cid, CID), (options.latitude, LATITUDE), (options.longitude, LONGITUDE)):
        widget.setFocus()
        QTest.keyClicks(widget, text)
    QTest.mouseClick(options.disabled[DISABLED], left)
    options.short_urls.setCurrentIndex(options.short_urls.findData(SHORT_URLS))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from composer.gui.app import build_window, create_application

    app = create_application([sys.argv[0]])
    win, controller = build_window()
    controller.start(None)
    win.show()

    def edit() -> None:
        apply_edits(win)
        print("EDITED " + json.dumps(controller.editing.call.to_draft(), ensure_ascii=False), flush=True)

    QTimer.singleShot(0, edit)
    QTimer.singleShot(SELF_DESTRUCT_MS, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
