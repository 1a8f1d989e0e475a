"""The window's settings (geometry, recent files, the chosen profile) in ``composer.ini`` in the
config folder.  Every read names its type: an INI file gives back strings otherwise."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from composer.core.storage import files


def settings() -> QSettings:
    return QSettings(str(files.config_dir() / "composer.ini"), QSettings.Format.IniFormat)
