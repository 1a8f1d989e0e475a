"""A Composer window in a process of its own, started and ended as ``composer`` does
(``composer.gui.app.main``), whose keyring holds every write until told, as a locked keyring waits
for its user to unlock it.  The window saves profile QA's secret through Profiles, then is closed
with "Close anyway?" answered yes.

    python -m tests.helpers.held_keyring_window

It prints ``HELD`` once the keyring holds the write and ``ASKED <the question>`` when closing asks.
A line on its standard input releases the keyring; it prints ``WRITTEN QA`` once the secret is
saved.  What the app itself prints, on stderr, comes between (see ``finish_keyring_changes``).
"""

from __future__ import annotations

import os
import sys
import threading

#: the secret saved (base64, as Gigya's console shows one)
SECRET = "c2VjcmV0LW9mLXFh"
#: our choice: a keyring never released gives up after this long, so a failed test leaves no process
PATIENCE_S = 60.0


def say(word: str, text: str = "") -> None:
    print(f"{word} {' '.join(text.split())}".rstrip(), flush=True)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from composer.core.accounts.profiles import Profile, ProfileStore
    from composer.gui import app
    from composer.gui.dialogs import Choice, Dialogs
    from composer.gui.main_window import MainWindow
    from tests.helpers.stubs import BlockingKeyring

    class HeldKeyring(BlockingKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            super().set_password(service, username, password)
            say("WRITTEN", username)

    held = HeldKeyring(patience=PATIENCE_S)
    keyring.set_keyring(held)
    threading.Thread(target=lambda: (sys.stdin.readline(), held.release()), daemon=True).start()
    ProfileStore().add(Profile(name="QA", base_url="http://127.0.0.1:9", api_key="key", user_key="user"))
    # the questions the window asks are answered here, as the user would (this process only)
    Dialogs.ask_save_changes = lambda self, name: Choice.DISCARD
    Dialogs.confirm = lambda self, title, question: (say("ASKED", question), True)[1]
    app.create_application([sys.argv[0]])

    def open_profiles() -> None:  # once the window is up: app.main starts the event loop
        (win,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        QTimer.singleShot(0, lambda: save(win))
        win.profiles_action.trigger()

    def save(win: MainWindow) -> None:
        # Profiles loads when first opened: its module is there once its dialog is
        from composer.gui.profile_dialog import ProfileDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProfileDialog):
            QTimer.singleShot(10, lambda: save(win))  # not shown yet
            return
        dialog.list.setCurrentRow(dialog.store.names().index("QA"))
        dialog.secret.setText(SECRET)
        dialog.save_button.click()
        close_once_held(win, dialog)

    def close_once_held(win: MainWindow, dialog: QDialog) -> None:
        if not held.held.is_set():
            QTimer.singleShot(10, lambda: close_once_held(win, dialog))
            return
        say("HELD")
        dialog.reject()
        QTimer.singleShot(0, win.close)

    QTimer.singleShot(0, open_profiles)
    return app.main([])


if __name__ == "__main__":
    sys.exit(main())
