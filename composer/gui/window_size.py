"""The size a window first opens at: its design size, or less on a screen with less room.

A window opened larger than the screen's free area (a 1024x640 laptop screen, or any screen at a
large scale factor) hangs off the edge, with its buttons out of reach.  Every window and dialog
takes its first size from here, so they all agree; a size the user gave it later (restored from
the settings) is Qt's ``restoreGeometry``, which keeps a window on a screen by itself.  The
bound is on the window's own area: its frame is not known before it is shown, and the window
manager places the frame within the screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def resize_to_fit(window: QWidget, width: int, height: int) -> None:
    """``width`` x ``height``, bounded by the free area of the screen ``window`` opens on (its
    parent's for a dialog: the area without panels and docks)."""
    room = window.screen().availableGeometry()
    window.resize(min(width, room.width()), min(height, room.height()))
