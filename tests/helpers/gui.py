"""Driving the window's widgets as a user would: bring a tab to the front, type, fill the form,
click Publish and wait for the answer."""

from __future__ import annotations

import re
import time
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def show_tab(win, widget) -> None:
    """Bring the main window's form tab holding ``widget`` to the front, as a user would before
    typing (other windows, such as the History, have no form tabs: nothing to do)."""
    tabs = getattr(win, "form_tabs", None)
    for index in range(tabs.count() if tabs is not None else 0):
        if tabs.widget(index).isAncestorOf(widget):
            tabs.setCurrentIndex(index)
            return


def type_into(qtbot, widget, text: str, *, replace: bool = False) -> None:
    """Type ``text`` into ``widget`` key by key, after its tab is brought to the front; with
    ``replace`` the text already there is selected first, so the typing replaces it."""
    show_tab(widget.window(), widget)
    widget.setFocus()
    if replace:
        widget.selectAll()
    qtbot.keyClicks(widget, text)


def compose(qtbot, win, uid: str, label: str = "Window test") -> str:
    """Fill the form like a user, with a title no other test uses (the sandbox refuses a repeated
    status, and the built-in sandbox is shared by the whole test process)."""
    title = f"{label} {uid} {time.time_ns()}"
    type_into(qtbot, win.content.inputs["title"], title)
    type_into(qtbot, win.content.inputs["linkBack"], "https://example.com/window")
    type_into(qtbot, win.options.uid, uid)
    qtbot.waitUntil(win.publish_button.isEnabled)
    return title


def click_and_wait_published(qtbot, ctl, button, timeout_ms: int = 15000):
    """Click ``button`` (Publish, Retry failed networks) and wait for the publish it starts."""
    with qtbot.waitSignal(ctl.publishing.finished, timeout=timeout_ms) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def publish_and_wait(qtbot, win, ctl, timeout_ms: int = 15000):
    """Click the window's Publish button and wait for the publish it starts."""
    return click_and_wait_published(qtbot, ctl, win.publish_button, timeout_ms)


def mnemonic_clashes(root: QWidget) -> dict[str, list[str]]:
    """The Alt+letter keys that more than one visible button or label of ``root`` claims (for
    example ``{"s": ["&Save", "Run &selected"]}``): Qt then only moves focus between them, and the
    button is never pressed."""
    claims: dict[str, list[str]] = defaultdict(list)
    for widget in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        marked = re.search(r"&([^&\s])", widget.text().replace("&&", ""))
        if widget.isVisible() and marked:
            claims[marked.group(1).lower()].append(widget.text())
    return {key: texts for key, texts in claims.items() if len(texts) > 1}


def contrast(first: QColor, second: QColor) -> float:
    """The contrast ratio of two colours as WCAG defines it (1 to 21; text wants 4.5):
    https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio"""

    def luminance(color: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())

    a, b = luminance(first), luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
