"""Crash logs: every secret out, whatever shape it was written in; the versions and the traceback in."""

from __future__ import annotations

import sys

import pytest

from composer.core.contract import REDACTED
from composer.core.storage import crash_log, files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apiKey=3_x&secret=ab+/=&sig=QQ%3D&nonce=1", f"apiKey=3_x&secret={REDACTED}&sig={REDACTED}&nonce=1"),
        ("{'secret': 'abc', 'x': 1}", f"{{'secret': '{REDACTED}', 'x': 1}}"),
        ('{"Secret": "a b", "sig": "x"}', f'{{"Secret": "{REDACTED}", "sig": "{REDACTED}"}}'),
        ("secret: hunter2 here", f"secret: {REDACTED} here"),
        ("oauth_token=t1&oauth_token_secret=t2&password=p", f"oauth_token={REDACTED}&oauth_token_secret={REDACTED}&password={REDACTED}"),
        ("the secretary and the signature stay", "the secretary and the signature stay"),
        ("GIGYA_SECRET=c2VjcmV0 composer publish", f"GIGYA_SECRET={REDACTED} composer publish"),
        ("environ({'GIGYA_SECRET': 'c2VjcmV0', 'HOME': '/root'})", f"environ({{'GIGYA_SECRET': '{REDACTED}', 'HOME': '/root'}})"),
        ('{"GIGYA_SECRET": "c2VjcmV0"}', f'{{"GIGYA_SECRET": "{REDACTED}"}}'),
        ('export gigya_secret="c2VjcmV0"', f'export gigya_secret="{REDACTED}"'),
        ("$env:GIGYA_SECRET = 'c2VjcmV0'", f"$env:GIGYA_SECRET = '{REDACTED}'"),
        ("GIGYA_SECRET: c2VjcmV0", f"GIGYA_SECRET: {REDACTED}"),
    ],
)
def test_values_of_secret_names_are_redacted(text, expected):
    assert crash_log.redact(text) == expected


def test_known_secrets_are_redacted_anywhere():
    assert crash_log.redact("a-known-one in a message, and a-known-one again", ["a-known-one", ""]) == f"{REDACTED} in a message, and {REDACTED} again"


def test_a_crash_log_has_the_versions_and_the_traceback_and_no_secret(isolated_home, monkeypatch):
    monkeypatch.setenv("GIGYA_SECRET", "from-the-environment")
    try:
        raise ValueError("while signing with from-the-environment")
    except ValueError as exc:
        first = crash_log.write_crash_log(type(exc), exc, exc.__traceback__, context="PySide6 x")
        second = crash_log.write_crash_log(type(exc), exc, exc.__traceback__)
    assert first.parent == files.data_dir() / "crash-logs" and first != second  # two in one second: both kept
    text = first.read_text(encoding="utf-8")
    assert text.startswith("Composer ") and f"Python {sys.version.split()[0]}" in text and "PySide6 x" in text
    assert f"ValueError: while signing with {REDACTED}" in text and "from-the-environment" not in text
    assert oct(first.stat().st_mode & 0o777) == "0o600"
