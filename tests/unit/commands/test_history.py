"""``composer history`` and ``composer publish --retry-failed`` on a history edited by hand: a
damaged entry is named, never a traceback, and the other entries are still exported."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from composer.cli import main
from composer.core.storage.history import History, default_path


@pytest.fixture
def damaged() -> None:
    """Three attempts; someone edited the second one's stored draft by hand."""
    path = default_path()
    with History(path) as history:
        for number in (1, 2, 3):
            failed = {"provider": "twitter", "status": "failed", "errorCode": 403048}
            history.add(profile="Sandbox", draft={"UID": f"u{number}"}, result={"outcome": "failed", "providers": [failed]})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE attempts SET draft = '{not json' WHERE id = 2")
    return None


def test_showing_a_damaged_entry_names_it(capsys, damaged):
    assert main(["history", "--show", "2"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"composer: entry 2 of the publish history {default_path()} is damaged: its draft is not a JSON object; the file is left as it is\n"


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_export_leaves_out_only_the_damaged_entry_and_exits_1(capsys, damaged, kind):
    assert main(["history", "--export", kind]) == 1
    out, err = capsys.readouterr()
    ids = [e["id"] for e in json.loads(out)] if kind == "json" else [int(r["id"]) for r in csv.DictReader(io.StringIO(out))]
    assert ids == [3, 1]
    assert err == "composer: entry 2 of the history is damaged and was left out\n"


def test_retrying_a_damaged_entry_says_why_nothing_was_sent(capsys, damaged):
    assert main(["publish", "--retry-failed", "2", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "entry 2 of the publish history" in err and "is damaged: its draft is not a JSON object" in err
    assert "Traceback" not in err


def test_retrying_an_entry_whose_draft_is_no_call_says_why(capsys, damaged):
    with sqlite3.connect(default_path()) as db:
        db.execute("""UPDATE attempts SET draft = '{"UID": "u3", "userAction": 42}' WHERE id = 3""")
    assert main(["publish", "--retry-failed", "3", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "that attempt's draft cannot be read (userAction" in err


@pytest.mark.parametrize(
    "stored", ['{"outcome": "failed", "providers": "oops"}', '{"outcome": "failed", "providers": [1]}',
               '{"outcome": "failed", "providers": [{"status": "failed"}]}'],
)
def test_a_result_edited_into_another_shape_is_a_damaged_entry_not_a_traceback(capsys, damaged, stored):
    with sqlite3.connect(default_path()) as db:
        db.execute("UPDATE attempts SET result = ? WHERE id = 3", (stored,))
    assert main(["history", "--export", "csv"]) == 1
    out, err = capsys.readouterr()
    assert [int(r["id"]) for r in csv.DictReader(io.StringIO(out))] == [1]
    assert err == "composer: entries 3, 2 of the history are damaged and were left out\n"
    assert main(["publish", "--retry-failed", "3", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "entry 3 of the publish history" in err and "its result's providers are not a list" in err
    assert "Traceback" not in err
