"""The publish history (SQLite) and the retry that goes only to the providers that failed."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from composer.core.call.model import PublishCall
from composer.core.publishing import RetryError, family_of, plan_retry, record
from composer.core.storage.history import CSV_COLUMNS, DamagedEntry, History, default_path, export_csv, export_json
from composer.core.wire.result import Outcome, ProviderResult, PublishResult, Status
from tests.helpers.environment import require

SECRET = "c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1zdG9yZWQ="


def result_json(outcome: str, **providers: str) -> dict:
    """A PublishResult.to_json() with these provider statuses."""
    items = []
    for name, status in providers.items():
        p = ProviderResult(name, Status(status))
        if status == "posted":
            p.post_id = f"{name}-post"
        elif status == "failed":
            p.error_code, p.error_message = 403024, "Provider limit reached"
        items.append(p)
    result = PublishResult(
        outcome=Outcome(outcome),
        error_code=0,
        call_id="call-1",
        providers=items,
        raw='{"errorCode":0}',
        response={"errorCode": 0},
        request_params={"UID": "u", "apiKey": "3Key", "sig": "<redacted>"},
    )
    return result.to_json()


def draft(uid: str = "user-1", title: str = "Title", **extra) -> dict:
    return {"UID": uid, "userAction": {"title": title, "linkBack": "https://example.com/"}, **extra}


@pytest.fixture
def history(tmp_path):
    with History(tmp_path / "history.sqlite") as h:
        yield h


# --- add, rows, get ---------------------------------------------------------------------------


def test_add_rows_get(history):
    when = datetime(2026, 3, 1, 12, 30, 45, 123456, tzinfo=timezone.utc)
    first = history.add(profile="Staging", draft=draft(title="First"), result=result_json("posted", facebook="posted", twitter="posted"), when=when)
    second = history.add(
        profile="Sandbox",
        draft=draft(uid="user-2", title="Second"),
        result=result_json("partial", facebook="posted", twitter="failed", linkedin="unknown", renren="not_attempted"),
        retry_of=first,
    )
    assert (first, second) == (1, 2)
    assert history.count() == 2
    rows = history.rows()
    assert [r.id for r in rows] == [2, 1]  # newest first
    newest = rows[0]
    assert newest.profile == "Sandbox"
    assert newest.outcome == "partial"
    assert newest.attempted == ("facebook", "twitter", "linkedin")
    assert newest.failed == ("twitter", "linkedin")
    assert newest.summary == "user-2: Second https://example.com/"
    assert newest.retry_of == 1
    assert rows[1].time == "2026-03-01T12:30:45.123Z"
    assert rows[1].to_json() == {
        "id": 1,
        "time": "2026-03-01T12:30:45.123Z",
        "profile": "Staging",
        "UID": "user-1",
        "draftName": "",
        "outcome": "posted",
        "attempted": ["facebook", "twitter"],
        "failed": [],
        "summary": "user-1: First https://example.com/",
        "retryOf": None,
    }
    entry = history.get(second)
    assert entry.row == newest
    assert entry.draft == draft(uid="user-2", title="Second")
    assert entry.request == {"UID": "u", "apiKey": "3Key", "sig": "<redacted>"}
    assert entry.response == '{"errorCode": 0}'
    assert entry.result["providers"][1]["errorCode"] == 403024
    assert history.get(99) is None
    assert history.rows(limit=1) == [newest]


def test_entries_survive_reopening(tmp_path):
    path = tmp_path / "h.sqlite"
    with History(path) as h:
        h.add(profile="P", draft=draft(title="Κείμενο 🎉"), result=result_json("posted", sina="posted"))
    with History(path) as h:
        assert h.recovered == ""
        [row] = h.rows()
        assert row.summary == "user-1: Κείμενο 🎉 https://example.com/"
        assert h.get(row.id).draft["userAction"]["title"] == "Κείμενο 🎉"


def test_default_path_is_in_the_isolated_data_folder(isolated_home):
    assert default_path() == isolated_home / ".local/share/composer/history.sqlite"
    with History() as h:
        h.add(profile="P", draft=draft(), result=result_json("posted", facebook="posted"))
    assert default_path().is_file()


def test_record_through_publishing_keeps_no_secret(tmp_path):
    call = PublishCall.from_params({"UID": "u", "userAction": {"title": "T"}, "secret": SECRET})
    assert "secret" in call.extra  # from_params keeps every key; to_draft must drop it
    result = PublishResult(outcome=Outcome.POSTED, request_params={"secret": "<redacted>", "apiKey": "k"})
    with History(tmp_path / "h.sqlite") as h:
        entry_id = record(call, result, "Prod", history=h)
        entry = h.get(entry_id)
    assert "secret" not in entry.draft
    assert entry.request["secret"] == "<redacted>"
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert SECRET.encode() not in raw


def test_record_returns_none_when_the_history_cannot_be_written(tmp_path):
    result = PublishResult(outcome=Outcome.POSTED)
    with History(tmp_path / "h.sqlite") as h:
        h.close()
        assert record(PublishCall(UID="u"), result, "P", history=h) is None
    assert result.notes and result.notes[0].startswith("could not record this attempt in the history")


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def filled(history):
    history.add(profile="Sandbox", draft=draft(title="100% off today"), result=result_json("posted", facebook="posted", twitter="posted"))
    history.add(profile="Sandbox", draft=draft(title="1000 off today"), result=result_json("partial", facebook="posted", twitter="failed"))
    history.add(profile="Staging", draft=draft(title="snake_case title"), result=result_json("failed", linkedin="failed"))
    history.add(profile="Staging", draft=draft(title="snakeXcase title"), result=result_json("unknown", sina="unknown", vkontakte="unknown"))
    history.add(profile="Prod_EU", draft=draft(title="back\\slash"), result=result_json("posted", vkontakte="posted", renren="not_attempted"))
    return history


def ids(rows) -> list[int]:
    return [r.id for r in rows]


def test_filter_by_outcome(filled):
    assert ids(filled.rows(outcome="posted")) == [5, 1]
    assert ids(filled.rows(outcome="partial")) == [2]
    assert ids(filled.rows(outcome="failed")) == [3]
    assert ids(filled.rows(outcome="unknown")) == [4]
    assert ids(filled.rows(outcome="nope")) == []


def test_filter_by_attempted_provider(filled):
    assert ids(filled.rows(provider="twitter")) == [2, 1]
    assert ids(filled.rows(provider="vkontakte")) == [5, 4]
    assert ids(filled.rows(provider="Twitter")) == [2, 1]
    assert ids(filled.rows(provider="renren")) == []  # listed but not attempted
    assert ids(filled.rows(provider="face")) == []  # a whole name, not a prefix
    assert ids(filled.rows(provider="face%")) == []
    assert ids(filled.rows(provider="%")) == []
    assert ids(filled.rows(provider="_")) == []


def test_filter_by_text_with_like_characters(filled):
    assert ids(filled.rows(text="100% off")) == [1]
    assert ids(filled.rows(text="%")) == [1]
    assert ids(filled.rows(text="snake_case")) == [3]
    assert ids(filled.rows(text="e_c")) == [3]
    assert ids(filled.rows(text="_")) == [5, 3]  # "snake_case" and the profile "Prod_EU"
    assert ids(filled.rows(text="back\\slash")) == [5]
    assert ids(filled.rows(text="\\")) == [5]
    assert ids(filled.rows(text="off today")) == [2, 1]
    assert ids(filled.rows(text="OFF TODAY")) == [2, 1]
    assert ids(filled.rows(text="Staging")) == [4, 3]
    assert ids(filled.rows(text="user-1")) == [5, 4, 3, 2, 1]
    assert ids(filled.rows(text="no such text")) == []


def test_filters_combine(filled):
    assert ids(filled.rows(outcome="posted", provider="facebook")) == [1]
    assert ids(filled.rows(outcome="posted", text="%", provider="twitter")) == [1]
    assert ids(filled.rows(provider="facebook", text="1000")) == [2]
    assert ids(filled.rows(provider="facebook", limit=1)) == [2]


# --- export -----------------------------------------------------------------------------------


def test_export_json(filled):
    entries = [filled.get(i) for i in (2, 3)]
    data = json.loads(export_json(entries))
    assert [e["id"] for e in data] == [2, 3]
    assert data[0]["draft"]["userAction"]["title"] == "1000 off today"
    assert data[0]["result"]["outcome"] == "partial"
    assert data[0]["failed"] == ["twitter"]
    assert data[1]["profile"] == "Staging"
    assert export_json([]) == "[]\n"


def test_export_csv(filled):
    entries = [filled.get(i) for i in (2, 5)]
    rows = list(csv.reader(io.StringIO(export_csv(entries))))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, r)) for r in rows[1:]]
    assert [(r["id"], r["provider"], r["status"]) for r in body] == [
        ("2", "facebook", "posted"),
        ("2", "twitter", "failed"),
        ("5", "vkontakte", "posted"),
        ("5", "renren", "not_attempted"),
    ]
    assert body[0]["postId"] == "facebook-post"
    assert body[1]["errorCode"] == "403024"
    assert body[1]["errorMessage"] == "Provider limit reached"
    assert body[0]["errorCode"] == ""
    assert body[2]["profile"] == "Prod_EU"
    assert body[0]["callId"] == "call-1"
    # every field of the history's row is on each line, the UID first of all
    assert (body[0]["UID"], body[0]["attempted"], body[0]["failed"], body[0]["retryOf"]) == ("user-1", "facebook,twitter", "twitter", "")
    assert body[0]["summary"].startswith("user-1: ")
    assert body[0]["time"]


def test_the_draft_name_and_uid_are_kept_and_searchable(history):
    history.add(profile="P", draft=draft(uid="demo-partial"), result=result_json("posted", facebook="posted"), draft_name="spring.json")
    history.add(profile="P", draft=draft(uid="demo-all-ok"), result=result_json("posted", facebook="posted"))
    [row] = history.rows(text="spring")
    assert (row.draft_name, row.uid) == ("spring.json", "demo-partial")
    assert history.get(row.id).row.to_json()["draftName"] == "spring.json"


def test_a_history_from_before_draft_names_gains_the_columns(tmp_path):
    """A file written before attempts named their draft and UID opens, keeps its rows and reads
    each old row's UID from its draft."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, profile TEXT NOT NULL,"
        " outcome TEXT NOT NULL, attempted TEXT NOT NULL, failed TEXT NOT NULL, summary TEXT NOT NULL, draft TEXT NOT NULL,"
        " request TEXT NOT NULL, response TEXT NOT NULL, result TEXT NOT NULL, retry_of INTEGER);"
    )
    db.execute(
        "INSERT INTO attempts (time, profile, outcome, attempted, failed, summary, draft, request, response, result)"
        " VALUES ('2026-01-01T00:00:00.000Z', 'P', 'posted', 'facebook', '', 'old: x', ?, '{}', '', ?)",
        (json.dumps(draft(uid="old-user")), json.dumps(result_json("posted", facebook="posted"))),
    )
    db.commit()
    db.close()
    with History(path) as h:
        [row] = h.rows()
        assert (row.uid, row.draft_name) == ("old-user", "")
        assert h.add(profile="P", draft=draft(), result=result_json("posted", facebook="posted"), draft_name="new.json") == 2


def test_family_posts_follow_the_whole_family_of_retries(history):
    first = history.add(profile="P", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed", linkedin="failed"))
    retry = history.add(profile="P", draft=draft(), result=result_json("partial", twitter="posted", linkedin="failed"), retry_of=first)
    again = history.add(profile="P", draft=draft(), result=result_json("posted", linkedin="posted"), retry_of=retry)
    assert history.family(again).posts == {"facebook": first, "twitter": retry, "linkedin": again}
    assert history.family(first).posts == {"facebook": first, "twitter": retry, "linkedin": again}


def test_family_unknowns_are_every_attempts_networks_whose_post_may_be_live(history):
    first = history.add(profile="P", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed", linkedin="failed"))
    sibling = history.add(profile="P", draft=draft(), result=result_json("partial", twitter="unknown", linkedin="failed"), retry_of=first)
    broke_off = history.add(profile="P", draft=draft(), result=result_json("unknown", linkedin="failed"), retry_of=first)
    assert history.family(first).unknown == {"twitter": [sibling], "linkedin": [broke_off]}


def damage(path, number: int, result: str) -> None:
    """Write attempt ``number``'s stored result by hand, as someone editing the file would."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE attempts SET result = ? WHERE id = ?", (result, number))
    db.close()


def test_a_damaged_attempt_of_the_family_is_named_when_the_family_is_read(history):
    first = history.add(profile="P", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed"))
    retry = history.add(profile="P", draft=draft(), result=result_json("failed", twitter="failed"), retry_of=first)
    damage(history.path, first, "{not json")
    with pytest.raises(DamagedEntry, match=f"entry {first} of the publish history .* is damaged: its result is not a JSON object"):
        history.family(retry)


@pytest.mark.parametrize(
    "stored",
    ['{"outcome": "failed", "providers": "oops"}', '{"outcome": "failed", "providers": [1]}',
     '{"outcome": "failed", "providers": [{"status": "failed"}]}', '{"outcome": "failed", "providers": [{"provider": 5}]}'],
)
def test_a_result_edited_into_another_shape_is_a_damaged_entry(history, stored):
    first = history.add(profile="P", draft=draft(), result=result_json("failed", twitter="failed"))
    retry = history.add(profile="P", draft=draft(), result=result_json("failed", twitter="failed"), retry_of=first)
    damage(history.path, first, stored)
    message = f"entry {first} of the publish history .* is damaged: its result's providers are not a list of results that each name a provider"
    with pytest.raises(DamagedEntry, match=message):
        history.get(first)
    with pytest.raises(DamagedEntry, match=message):
        history.family(retry)
    assert history.readable([first, retry]) == ([history.get(retry)], [first])


def test_a_retry_whose_family_cannot_be_read_is_refused_not_guessed(history):
    first = history.add(profile="P", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed"))
    retry = history.add(profile="P", draft=draft(), result=result_json("failed", twitter="failed"), retry_of=first)
    damage(history.path, first, "{not json")
    with pytest.raises(RetryError, match=f"the history cannot tell what the other attempts of #{retry} posted; nothing is sent") as caught:
        family_of(retry, history)
    assert caught.value.exit_code == 1
    assert f"entry {first} of the publish history" in str(caught.value)


def test_export_csv_quotes_commas_and_newlines(history):
    result = result_json("failed", twitter="failed")
    result["providers"][0]["errorDetails"] = 'Status, "quoted"\nsecond line'
    history.add(profile="P, with comma", draft=draft(), result=result)
    rows = list(csv.reader(io.StringIO(export_csv([history.get(1)]))))
    assert rows[1][CSV_COLUMNS.index("profile")] == "P, with comma"
    assert rows[1][CSV_COLUMNS.index("errorDetails")] == 'Status, "quoted"\nsecond line'


def test_exports_name_the_test_plan_and_case_of_an_attempt(history):
    history.add(profile="Sandbox", draft=draft(), result=result_json("posted", twitter="posted"), plan="spring", case="all networks post")
    history.add(profile="Sandbox", draft=draft(), result=result_json("posted", twitter="posted"))
    rows = list(csv.reader(io.StringIO(export_csv([history.get(1), history.get(2)]))))
    named = [(r[CSV_COLUMNS.index("plan")], r[CSV_COLUMNS.index("case")]) for r in rows[1:]]
    assert named == [("spring", "all networks post"), ("", "")]
    exported = json.loads(export_json([history.get(1)]))[0]
    assert (exported["plan"], exported["case"]) == ("spring", "all networks post")


# --- a corrupt file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x00garbage" + os.urandom(8192), id="random-bytes"),
        pytest.param(b"this is a text file, not a database\n" * 100, id="text"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 4000, id="bad-header"),
    ],
)
def test_corrupt_history_is_set_aside(tmp_path, garbage):
    path = tmp_path / "history.sqlite"
    path.write_bytes(garbage)
    with History(path) as h:
        assert h.recovered.startswith("The publish history could not be read (")
        assert "it was set aside as history.sqlite.corrupt-" in h.recovered
        assert h.recovered.endswith("and a new one started.")
        assert h.count() == 0
        entry_id = h.add(profile="P", draft=draft(), result=result_json("posted", facebook="posted"))
        assert ids(h.rows()) == [entry_id]
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("history.sqlite.corrupt-")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == garbage  # set aside, not deleted
    # and the new file is a proper database that opens without a message
    with History(path) as again:
        assert again.recovered == ""
        assert again.count() == 1
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM attempts").fetchone() == (1,)
    db.close()


def test_truncated_real_database_is_set_aside(tmp_path):
    path = tmp_path / "history.sqlite"
    with History(path) as h:
        h.add_many({"profile": "P", "draft": draft(uid=f"u{i}"), "result": result_json("posted", facebook="posted")} for i in range(300))
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xde\xad" * 2000)
    with History(path) as h:
        assert "set aside" in h.recovered
        assert h.count() == 0
        h.add(profile="P", draft=draft(), result=result_json("posted", facebook="posted"))
        assert h.count() == 1


def test_cli_history_reports_a_recovered_file(tmp_path, capsys, isolated_home):
    from composer.cli import main

    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(2048) + b"\x00")
    assert main(["history", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert err.startswith("note: The publish history could not be read")


# --- retry only what failed -------------------------------------------------------------------


def test_plan_retry_partial_enables_exactly_the_failed_providers():
    plan = plan_retry(
        draft(enabledProviders=["facebook", "twitter", "linkedin"], disabledProviders=["sina"]),
        result_json("partial", facebook="posted", twitter="failed", linkedin="failed"),
    )
    assert plan.providers == ["twitter", "linkedin"]
    assert plan.call.enabledProviders == ["twitter", "linkedin"]
    assert "facebook" not in plan.call.enabledProviders
    assert plan.call.disabledProviders == ["sina"]
    assert plan.warning == ""
    assert plan.call.userAction.title == "Title"
    assert plan.call.to_params()["enabledProviders"] == "twitter,linkedin"


def test_plan_retry_without_enabled_list_in_the_draft():
    plan = plan_retry(draft(), result_json("partial", facebook="posted", twitter="posted", sina="failed", renren="not_attempted"))
    assert plan.call.enabledProviders == ["sina"]


def test_plan_retry_orders_providers_and_keeps_server_reported_ones():
    result = result_json("partial", twitter="failed", facebook="posted", linkedin="failed")
    result["providers"].append({"provider": "myspace", "status": "failed"})
    plan = plan_retry(draft(), result)
    assert plan.call.enabledProviders == ["twitter", "linkedin", "myspace"]


def test_plan_retry_removes_failed_from_disabled():
    plan = plan_retry(draft(disabledProviders=["twitter", "renren"]), result_json("partial", facebook="posted", twitter="failed"))
    assert plan.call.enabledProviders == ["twitter"]
    assert plan.call.disabledProviders == ["renren"]


def test_plan_retry_unknown_outcome_warns():
    plan = plan_retry(draft(enabledProviders=["facebook", "linkedin"]), result_json("unknown", facebook="unknown", linkedin="unknown"))
    assert plan.call.enabledProviders == ["facebook", "linkedin"]
    assert plan.warning.startswith("An earlier outcome is unknown: the post may already be live on facebook, linkedin.")
    assert "may post twice" in plan.warning


def test_plan_retry_refused_call_retries_every_eligible_provider():
    # the call was refused before any provider was tried (e.g. 403005): nothing posted anywhere
    plan = plan_retry(
        draft(disabledProviders=["renren", "sina"]),
        result_json("failed", facebook="not_attempted", twitter="not_attempted", linkedin="not_attempted", vkontakte="not_attempted"),
    )
    assert plan.call.enabledProviders == ["facebook", "twitter", "linkedin", "vkontakte"]
    assert plan.warning == ""


def test_plan_retry_nothing_failed():
    with pytest.raises(RetryError) as info:
        plan_retry(draft(), result_json("posted", facebook="posted", twitter="posted"))
    assert info.value.exit_code == 1
    assert "nothing to retry" in str(info.value)


def test_plan_retry_failed_with_something_posted_never_resends_to_it():
    # a "failed" outcome that still lists a posted provider (should not happen, must still be safe)
    plan = plan_retry(draft(), result_json("failed", facebook="posted", twitter="failed"))
    assert plan.call.enabledProviders == ["twitter"]


# --- many entries -----------------------------------------------------------------------------


def test_ten_thousand_entries_filter_correctly(history):
    outcomes = ["posted", "partial", "failed", "unknown"]

    def item(i: int) -> dict:
        outcome = outcomes[i % 4]
        providers = {"facebook": "posted"} if outcome == "posted" else {"facebook": "posted", "twitter": "failed"}
        if i % 10 == 0:
            providers["sina"] = "posted"
        title = "50% sale" if i % 1000 == 0 else f"title {i}"
        return {"profile": "Sandbox", "draft": draft(uid=f"user_{i}", title=title), "result": result_json(outcome, **providers)}

    history.add_many(item(i) for i in range(10_000))
    assert history.count() == 10_000
    rows = history.rows()
    assert len(rows) == 10_000
    assert rows[0].id == 10_000 and rows[-1].id == 1
    assert len(history.rows(outcome="partial")) == 2_500
    assert len(history.rows(provider="sina")) == 1_000
    assert len(history.rows(provider="twitter")) == 7_500
    assert len(history.rows(outcome="posted", provider="sina")) == 500  # i % 20 == 0
    assert ids(history.rows(text="50% sale")) == [9001, 8001, 7001, 6001, 5001, 4001, 3001, 2001, 1001, 1]
    assert ids(history.rows(text="user_9999:")) == [10_000]
    assert len(history.rows(text="user_")) == 10_000
    assert len(history.rows(limit=25)) == 25


def test_locked_history_is_not_set_aside(tmp_path):
    """A healthy history another program holds locked is reported, never set aside."""
    import sqlite3

    from composer.core.storage.history import HistoryUnavailable

    path = tmp_path / "history.sqlite"
    with History(path) as h:
        h.add(profile="Sandbox", draft={"UID": "u"}, result={"outcome": "posted", "providers": []})
    holder = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryUnavailable, match="locked"):
            History(path)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert not list(tmp_path.glob("*.corrupt-*"))
    with History(path) as h:
        assert h.count() == 1


def test_plan_retry_warns_for_unknown_networks_in_a_partial_result():
    plan = plan_retry(draft(), result_json("partial", facebook="posted", twitter="unknown", linkedin="failed"))
    assert plan.call.enabledProviders == ["twitter", "linkedin"]
    assert "may already be live on twitter." in plan.warning


def test_retrying_twice_never_posts_again_where_a_retry_posted(tmp_path):
    with History(tmp_path / "h.sqlite") as h:
        first = h.add(profile="Sandbox", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed", linkedin="failed"))
        retry = h.add(profile="Sandbox", draft=draft(), result=result_json("partial", twitter="posted", linkedin="failed"), retry_of=first)
        family = family_of(first, h)
        assert family.posts == {"facebook": first, "twitter": retry}
        entry = h.get(first)
        plan = plan_retry(entry.draft, entry.result, family)
        assert plan.call.enabledProviders == ["linkedin"]


def test_a_retry_warns_of_a_sibling_retrys_unknown_outcome(tmp_path):
    # #1 partial (Twitter and LinkedIn failed); #2 retried it and Twitter's outcome is unknown: a
    # retry of #1 itself must say Twitter may have #2's post (contract section 5)
    with History(tmp_path / "h.sqlite") as h:
        first = h.add(profile="Sandbox", draft=draft(), result=result_json("partial", facebook="posted", twitter="failed", linkedin="failed"))
        sibling = h.add(profile="Sandbox", draft=draft(), result=result_json("partial", twitter="unknown", linkedin="failed"), retry_of=first)
        entry = h.get(first)
        plan = plan_retry(entry.draft, entry.result, family_of(first, h))
    assert plan.call.enabledProviders == ["twitter", "linkedin"]
    assert plan.warning.startswith(f"An earlier outcome is unknown: the post may already be live on twitter (#{sibling}).")


# --- a history that cannot be used now is left as it is ---------------------------------------
# Only a file SQLite reports as damaged (SQLITE_CORRUPT) or as no database (SQLITE_NOTADB) is set
# aside; a full disk, a folder that cannot be written or a lock leave it alone, with a message.


@pytest.fixture
def disk_pages(monkeypatch):
    """A full disk, simulated: while ``disk_pages["max"]`` is set, every SQLite connection gets
    ``PRAGMA max_page_count`` at that many pages and answers SQLITE_FULL past it; setting it to
    None frees the space again."""
    limit: dict[str, int | None] = {"max": None}
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        if limit["max"] is not None:
            db.execute(f"PRAGMA max_page_count = {limit['max']}")
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    return limit


def page_count(path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA page_count").fetchone()[0]
    finally:
        db.close()


def cli_history(capsys, *args: str) -> tuple[int, str, str]:
    from composer.cli import main

    code = main(["history", *args])
    out, err = capsys.readouterr()
    return code, out, err


def filled_default_history(count: int) -> bytes:
    """The default history with ``count`` attempts; returns the file's bytes."""
    with History() as h:
        h.add_many({"profile": "P", "draft": draft(uid=f"user-{i}"), "result": result_json("posted", facebook="posted")} for i in range(count))
    return default_path().read_bytes()


def test_a_full_disk_when_recording_leaves_the_history_and_says_so(isolated_home, disk_pages, capsys):
    filled_default_history(40)
    disk_pages["max"] = page_count(default_path())
    # a draft too large for the space left: the row needs pages the disk does not have
    call = PublishCall.from_params(draft(uid="user-big", title="x" * 20_000))
    result = PublishResult(outcome=Outcome.POSTED)
    assert record(call, result, "P") is None
    assert result.notes == [
        f"could not record this attempt in the history: the publish history {default_path()} cannot be used now: "
        "the disk is full (database or disk is full); the file is left as it is"
    ]
    assert not list(default_path().parent.glob("*.corrupt-*"))
    # reading needs no space: the history is all there, on the full disk too
    code, out, err = cli_history(capsys, "--json", "--limit", "0")
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 40

    disk_pages["max"] = None  # space freed
    assert record(call, PublishResult(outcome=Outcome.POSTED), "P") == 41
    code, out, _ = cli_history(capsys, "--json", "--limit", "0")
    rows = json.loads(out)
    assert [r["summary"].split(":")[0] for r in rows] == ["user-big"] + [f"user-{i}" for i in reversed(range(40))]


def test_a_full_disk_when_opening_never_sets_the_history_aside(isolated_home, disk_pages, capsys):
    """The issue's case: opening writes (here, the time index an earlier version's history lacks),
    the disk is full, and the healthy file was set aside as corrupt.  It must stay, with a message."""
    filled_default_history(30)
    db = sqlite3.connect(default_path())
    db.execute("DROP INDEX attempts_time")
    db.execute("VACUUM")  # no free pages left inside the file: the index needs new ones
    db.close()
    before = default_path().read_bytes()
    disk_pages["max"] = page_count(default_path())

    code, out, err = cli_history(capsys)
    assert (code, out) == (1, "")
    assert err == (
        f"composer: the publish history {default_path()} cannot be used now: the disk is full "
        "(database or disk is full); the file is left as it is\n"
    )
    assert default_path().read_bytes() == before
    assert sorted(p.name for p in default_path().parent.iterdir() if "corrupt" in p.name) == []

    disk_pages["max"] = None  # space freed: every attempt is there
    code, out, err = cli_history(capsys, "--json", "--limit", "0")
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 30


def test_a_history_that_is_a_folder_is_reported_not_set_aside(isolated_home, capsys):
    default_path().mkdir(parents=True)  # SQLITE_CANTOPEN: nothing SQLite calls damaged
    (default_path() / "keep.txt").write_text("mine")
    code, out, err = cli_history(capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"composer: the publish history {default_path()} cannot be used now: it cannot be opened")
    assert "Traceback" not in err
    assert (default_path() / "keep.txt").read_text() == "mine"
    assert not list(default_path().parent.glob("*.corrupt-*"))


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_cli_history_with_an_unusable_data_folder(tmp_path, monkeypatch, capsys, where):
    """Root writes anywhere whatever the modes, so the data folder is made unusable for everyone: it
    is a regular file, or it lies under one."""
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    folder = blocker if where == "a-file" else blocker / "composer"
    monkeypatch.setenv("COMPOSER_DATA_DIR", str(folder))
    for args in ([], ["--json"], ["--show", "1"], ["--export", "csv"]):
        code, out, err = cli_history(capsys, *args)
        assert (code, out) == (1, ""), args
        reason = f"{folder} is a file, not a folder" if where == "a-file" else f"{folder} cannot be created (Not a directory)"
        assert err == f"composer: the publish history cannot be kept in the data folder: {reason}\n"
    assert blocker.read_text() == "not a folder"


def test_cli_history_with_a_read_only_data_folder(isolated_home, monkeypatch, capsys):
    filled_default_history(3)
    folder = default_path().parent
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root writes anywhere: see test_files
    code, out, err = cli_history(capsys)
    assert (code, out) == (1, "")
    assert err == f"composer: the publish history cannot be kept in the data folder: {folder} is read-only\n"


def test_corrupt_histories_set_aside_in_one_second_keep_their_own_names(tmp_path):
    path = tmp_path / "history.sqlite"
    contents = {b"first broken file" * 50, b"second broken file" * 50}
    named = []
    for content in sorted(contents):
        path.write_bytes(content)
        with History(path) as h:
            named.append(h.recovered.split("set aside as ")[1].split(" ")[0])
    aside = list(tmp_path.glob("history.sqlite.corrupt-*"))
    assert sorted(p.name for p in aside) == sorted(named) and len(set(named)) == 2
    assert {p.read_bytes() for p in aside} == contents


#: a real file system that fills up: a tmpfs of 64 KiB (our choice: room for a small history and
#: little else), mounted in a mount namespace of its own so that nothing else on the machine sees it
FULL_DISK_SCRIPT = """
set -e
mount -t tmpfs -o size=64k tmpfs "$1"
cp "$2" "$1/history.sqlite"
dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null || true
exec "$3" -m composer history
"""


def test_a_really_full_disk_is_called_full_not_a_disk_error(isolated_home, tmp_path):
    require(os.geteuid() == 0 and shutil.which("unshare") is not None, "mounting a small tmpfs needs root and unshare")
    with History(tmp_path / "history.sqlite") as history:
        history.add(profile="Sandbox", draft={"UID": "u"}, result={"outcome": "posted", "providers": []})
    full = tmp_path / "full"
    full.mkdir()
    env = {**os.environ, "COMPOSER_DATA_DIR": str(full)}
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", FULL_DISK_SCRIPT, "sh", str(full), str(tmp_path / "history.sqlite"), sys.executable],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"composer: the publish history {full / 'history.sqlite'} cannot be used now: the disk is full (")
