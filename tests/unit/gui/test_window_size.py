"""Every window first opens at its design size, bounded by the screen's free area: the suite's
offscreen screen (800x800) is smaller than the main window's and the History's design sizes."""

from __future__ import annotations

from PySide6.QtCore import QSize

from composer.gui.profile_dialog import ProfileDialog


def _fits(window, design: QSize) -> None:
    assert window.size() == design.boundedTo(window.screen().availableGeometry().size())


def test_every_window_opens_within_the_screen(window, qtbot):
    win, ctl = window
    assert win.screen().availableGeometry().width() < 1280  # else this test proves nothing
    _fits(win, QSize(1280, 800))
    win.history_action.trigger()
    _fits(ctl.publishing._history_dialog, QSize(1100, 700))
    win.test_plans_action.trigger()
    _fits(ctl.plan_window, QSize(1000, 560))
    profiles = ProfileDialog(win)
    qtbot.addWidget(profiles)
    _fits(profiles, QSize(760, 460))
