"""A Composer window in a process of its own whose keyring holds every write until told, as a
locked keyring waits for its user to unlock it.  The window saves profile QA's secret through
Profiles, then is closed with "Close anyway?" answered yes.

    python -m tests.helpers.held_keyring_window

It prints ``HELD`` once the keyring holds the write, ``ASKED <the question>`` when closing asks,
and ``CLOSED`` once the window's event loop has ended.  A line on its standard input releases the
keyring; it prints ``WRITTEN`` once the secret is saved, and the process ends.
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
    from PySide6.QtWidgets import QApplication

    from composer.core.accounts.profiles import Profile, ProfileStore
    from composer.gui.app import build_window, create_application
    from composer.gui.dialogs import Choice
    from composer.gui.profile_dialog import ProfileDialog
    from tests.helpers.stubs import BlockingKeyring

    class HeldKeyring(BlockingKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            super().set_password(service, username, password)
            say("WRITTEN", username)

    held = HeldKeyring(patience=PATIENCE_S)
    keyring.set_keyring(held)
    threading.Thread(target=lambda: (sys.stdin.readline(), held.release()), daemon=True).start()

    app = create_application([sys.argv[0]])
    ProfileStore().add(Profile(name="QA", base_url="http://127.0.0.1:9", api_key="key", user_key="user"))
    win, controller = build_window()
    controller.start(None)
    controller.profiles.reload_profiles("QA")
    controller.dialogs.ask_save_changes = lambda name: Choice.DISCARD
    controller.dialogs.confirm = lambda title, question: (say("ASKED", question), True)[1]
    win.show()

    def save() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProfileDialog):
            QTimer.singleShot(10, save)  # not shown yet
            return
        dialog.secret.setText(SECRET)
        dialog.save_button.click()
        close_once_held(dialog)

    def close_once_held(dialog: ProfileDialog) -> None:
        if not held.held.is_set():
            QTimer.singleShot(10, lambda: close_once_held(dialog))
            return
        say("HELD")
        dialog.reject()
        QTimer.singleShot(0, win.close)

    QTimer.singleShot(0, save)
    QTimer.singleShot(0, win.profiles_action.trigger)
    code = app.exec()
    say("CLOSED")
    return code


if __name__ == "__main__":
    sys.exit(main())
