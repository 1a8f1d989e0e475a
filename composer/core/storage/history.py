"""Every publish attempt, kept locally in SQLite in the app's data folder.

An entry holds the time, the profile's name (never a secret), the request's parameters (secret and
signature redacted), the draft, the raw response, each provider's result and the outcome.

Only a file SQLite itself reports as damaged or as no database at all is set aside
(``history.sqlite.corrupt-<time>``), with a message, and a new one started.  Anything else that
stops the history (a full disk, a folder that cannot be written, another program holding the file
locked) leaves the file as it is and raises :class:`HistoryUnavailable`, whose message says why:
the entries are there again once the cause is gone.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from composer.core.storage import files

FILE_NAME = "history.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    profile TEXT NOT NULL,
    outcome TEXT NOT NULL,
    attempted TEXT NOT NULL,
    failed TEXT NOT NULL,
    summary TEXT NOT NULL,
    draft TEXT NOT NULL,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    result TEXT NOT NULL,
    retry_of INTEGER,
    draft_name TEXT NOT NULL DEFAULT '',
    uid TEXT NOT NULL DEFAULT '',
    plan TEXT,
    plan_case TEXT
);
CREATE INDEX IF NOT EXISTS attempts_time ON attempts(time);
"""

_LIST_COLUMNS = "id, time, profile, outcome, attempted, failed, summary, retry_of, draft_name, uid, plan, plan_case"


@dataclass(frozen=True)
class Row:
    """What a list shows: cheap to load by the thousand."""

    id: int
    time: str
    profile: str
    outcome: str
    attempted: tuple[str, ...]
    failed: tuple[str, ...]
    summary: str
    retry_of: int | None
    #: the file name of the draft that was open when it was sent ("" for an untitled draft)
    draft_name: str = ""
    #: the user the share was published for (the draft's UID)
    uid: str = ""
    #: the test plan and case this attempt ran for (composer run, the Test plan window)
    plan: str | None = None
    case: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "time": self.time,
            "profile": self.profile,
            "UID": self.uid,
            "draftName": self.draft_name,
            "outcome": self.outcome,
            "attempted": list(self.attempted),
            "failed": list(self.failed),
            "summary": self.summary,
            "retryOf": self.retry_of,
        }
        if self.plan is not None:  # only attempts made by a test plan carry these
            out.update(plan=self.plan, case=self.case)
        return out

    @classmethod
    def of(
        cls,
        entry_id: int,
        time: str,
        profile: str,
        draft: dict[str, Any],
        result: dict[str, Any],
        retry_of: int | None = None,
        draft_name: str = "",
    ) -> Row:
        """The row :meth:`History.add` stores for this attempt (an export of a result not yet
        read back from the history has every field too)."""
        providers = result.get("providers", [])
        attempted = tuple(p["provider"] for p in providers if p.get("status") != "not_attempted")
        failed = tuple(p["provider"] for p in providers if p.get("status") in ("failed", "unknown"))
        ua = draft.get("userAction") or {}
        summary = " ".join(str(ua.get(k, "")) for k in ("title", "userMessage", "linkBack") if ua.get(k))
        summary = f"{draft.get('UID', '')}: {summary}"[:500]
        return cls(entry_id, time, profile, result.get("outcome", "unknown"), attempted, failed, summary, retry_of,
                   draft_name, str(draft.get("UID", "")))


@dataclass(frozen=True)
class Entry:
    row: Row
    draft: dict[str, Any]
    request: dict[str, str]
    response: str
    result: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        out = self.row.to_json()
        out.update(draft=self.draft, request=self.request, response=self.response, result=self.result)
        return out


@dataclass(frozen=True)
class Family:
    """What the attempts of one family got (:meth:`History.family`), network by network."""

    #: the attempt the family was read for
    of: int
    #: each network an attempt of the family posted to, with the first attempt that did
    posts: dict[str, int]
    #: each network whose outcome is unknown in an attempt of the family, with those attempts
    unknown: dict[str, list[int]]


def _split(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split(",") if x)


def _row(values: tuple) -> Row:
    return Row(values[0], values[1], values[2], values[3], _split(values[4]), _split(values[5]), *values[6:12])


def stamp(when: datetime | None = None) -> str:
    """An attempt's time as the history keeps it: UTC, milliseconds, ISO 8601."""
    return (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class HistoryUnavailable(RuntimeError):
    """The history cannot be read or written now; the file is left as it is.  The message, for the
    user, names the file and says why."""


#: SQLite's primary result codes that say the file itself is broken (https://www.sqlite.org/rescode.html):
#: the only ones for which a history is set aside
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

#: what the other result codes mean for the user (the same page), the cause SQLite names kept beside
_REASONS = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "it is read-only",
    sqlite3.SQLITE_CANTOPEN: "it cannot be opened (can its folder be read and written?)",
    sqlite3.SQLITE_PERM: "permission was denied",
    sqlite3.SQLITE_AUTH: "permission was denied",
    sqlite3.SQLITE_BUSY: "another program holds it locked; try again",
    sqlite3.SQLITE_LOCKED: "another program holds it locked; try again",
    sqlite3.SQLITE_IOERR: "the disk reported an error",
    sqlite3.SQLITE_CORRUPT: "part of it is damaged",
    sqlite3.SQLITE_NOTADB: "it is not a database",
}


class DamagedEntry(HistoryUnavailable):
    """One entry cannot be read (what it stores is not what the history wrote); the others can."""


def _primary_code(exc: sqlite3.Error) -> int | None:
    """The primary result code of an SQLite error (None for the module's own errors)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # an extended code keeps the primary one in its low byte


def _no_space_left(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False


def default_path() -> Path:
    return files.data_dir() / FILE_NAME


def _add_columns(db: sqlite3.Connection) -> None:
    """Bring a history written before attempts named their draft, UID and test plan up to date."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(attempts)")}
    if "draft_name" not in columns:
        db.execute("ALTER TABLE attempts ADD COLUMN draft_name TEXT NOT NULL DEFAULT ''")
    if "uid" not in columns:
        db.execute("ALTER TABLE attempts ADD COLUMN uid TEXT NOT NULL DEFAULT ''")
        try:  # the drafts hold it; SQLite's JSON functions are built in since 3.38
            db.execute("UPDATE attempts SET uid = coalesce(json_extract(draft, '$.UID'), '')")
        except sqlite3.OperationalError:
            pass  # an older SQLite: the old rows show no UID, the draft still has it
    for name in ("plan", "plan_case"):  # the test plan and case of an attempt made by a plan
        if name not in columns:
            db.execute(f"ALTER TABLE attempts ADD COLUMN {name} TEXT")


class History:
    """A connection to the history file; safe to share between threads (one lock)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_path()
        #: set when a corrupt file was set aside on open: a sentence for the user
        self.recovered: str = ""
        self._lock = threading.Lock()
        self._db = self._open()

    def _unavailable(self, exc: sqlite3.Error) -> HistoryUnavailable:
        code = _primary_code(exc)
        reason = _REASONS.get(code, "SQLite refused it")
        if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _no_space_left(self.path.parent):
            # a full disk stops WAL's shared-memory file from growing, which SQLite reports as an
            # I/O error (SQLITE_IOERR_SHMSIZE, https://www.sqlite.org/rescode.html), not as SQLITE_FULL
            reason = _REASONS[sqlite3.SQLITE_FULL]
        return HistoryUnavailable(f"the publish history {self.path} cannot be used now: {reason} ({exc}); the file is left as it is")

    def _open(self) -> sqlite3.Connection:
        problem = files.unwritable_reason(self.path.parent)
        if problem:
            raise HistoryUnavailable(f"the publish history cannot be kept in the data folder: {problem}")
        try:
            return self._connect()
        except sqlite3.Error as exc:
            if _primary_code(exc) not in _DAMAGED:
                # a full disk, a locked file, a folder we may not write: the file may well be fine
                raise self._unavailable(exc) from None
            return self._set_aside(exc)

    def _set_aside(self, exc: sqlite3.Error) -> sqlite3.Connection:
        try:
            aside = files.set_aside(self.path, "corrupt")
            for suffix in ("-wal", "-shm", "-journal"):
                extra = Path(str(self.path) + suffix)
                if extra.exists():  # kept beside the set-aside file: it may hold recent entries
                    extra.replace(Path(str(aside) + suffix))
        except OSError as err:
            raise HistoryUnavailable(
                f"the publish history {self.path} could not be read ({exc}) and could not be set aside ({err.strerror or err})"
            ) from None
        self.recovered = f"The publish history could not be read ({exc}); it was set aside as {aside.name} and a new one started."
        try:
            return self._connect()
        except sqlite3.Error as again:
            raise self._unavailable(again) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            _add_columns(db)
            db.execute("SELECT count(*) FROM attempts").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    @contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; an SQLite error in use becomes :class:`HistoryUnavailable`
        (a disk that filled up since the file was opened leaves it as it is, too)."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(
        self,
        *,
        profile: str,
        draft: dict[str, Any],
        result: dict[str, Any],
        retry_of: int | None = None,
        when: datetime | str | None = None,
        draft_name: str = "",
        plan: str | None = None,
        case: str | None = None,
    ) -> int:
        """Record one attempt; ``result`` is PublishResult.to_json(); ``when`` a datetime or a
        :func:`stamp` already made (the window shows the same time the history keeps); ``plan`` and
        ``case`` tag an attempt made by a test plan."""
        row = Row.of(0, when if isinstance(when, str) else stamp(when), profile, draft, result, retry_of, draft_name)
        raw = result.get("response")
        response_text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False) if raw is not None else ""
        with self._using() as db:
            cursor = db.execute(
                "INSERT INTO attempts (time, profile, outcome, attempted, failed, summary, draft, request, response, result, retry_of,"
                " draft_name, uid, plan, plan_case) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.time,
                    profile,
                    row.outcome,
                    ",".join(row.attempted),
                    ",".join(row.failed),
                    row.summary,
                    json.dumps(draft, ensure_ascii=False),
                    json.dumps(result.get("request", {}), ensure_ascii=False),
                    response_text,
                    json.dumps(result, ensure_ascii=False),
                    retry_of,
                    draft_name,
                    row.uid,
                    plan,
                    case,
                ),
            )
            return int(cursor.lastrowid or 0)

    def add_many(self, rows: Iterable[dict[str, Any]]) -> None:
        """Bulk insert in one transaction (benchmarks and tests); each item holds add()'s arguments."""
        self._db.execute("BEGIN")
        try:
            for item in rows:
                self.add(**item)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def rows(self, *, outcome: str = "", provider: str = "", text: str = "", limit: int | None = None) -> list[Row]:
        """Newest first, filtered by outcome, by a provider that was attempted, and by text."""
        where, args = [], []
        if outcome:
            where.append("outcome = ?")
            args.append(outcome)
        if provider:
            # an exact name: "face%" or "_" must not match as LIKE patterns
            where.append("instr(',' || attempted || ',', ?) > 0")
            args.append(f",{provider.lower()},")  # names are stored lower-case
        if text:
            where.append(
                "(summary LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR request LIKE ? ESCAPE '\\' OR draft_name LIKE ? ESCAPE '\\'"
                " OR plan LIKE ? ESCAPE '\\' OR plan_case LIKE ? ESCAPE '\\')"
            )
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [pattern] * 6
        sql = f"SELECT {_LIST_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        with self._using() as db:
            return [_row(r) for r in db.execute(sql, args).fetchall()]

    def get(self, entry_id: int) -> Entry | None:
        with self._using() as db:
            r = db.execute(
                f"SELECT {_LIST_COLUMNS}, draft, request, response, result FROM attempts WHERE id = ?", (entry_id,)
            ).fetchone()
        if r is None:
            return None
        draft = self._stored_object(entry_id, "draft", r[12])
        request = self._stored_object(entry_id, "request", r[13])
        result = self._stored_result(entry_id, r[15])
        return Entry(_row(r[:12]), draft, request, r[14], result)

    def readable(self, entry_ids: Iterable[int]) -> tuple[list[Entry], list[int]]:
        """The entries ``entry_ids`` that can be read (an export of them all), and the numbers of
        those that are damaged (:class:`DamagedEntry`): one damaged entry does not hide the rest."""
        entries, damaged = [], []
        for entry_id in entry_ids:
            try:
                entry = self.get(entry_id)
            except DamagedEntry:
                damaged.append(entry_id)
                continue
            if entry is not None:
                entries.append(entry)
        return entries, damaged

    def _stored_object(self, entry_id: int, name: str, text: str) -> dict[str, Any]:
        """The JSON object stored as entry ``entry_id``'s ``name``; :class:`DamagedEntry` when it is
        not one (the file was edited by hand, or damaged where SQLite cannot see it)."""
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, dict):
            raise DamagedEntry(f"entry {entry_id} of the publish history {self.path} is damaged: its {name} is not a JSON object; the file is left as it is")
        return value

    def _stored_result(self, entry_id: int, text: str) -> dict[str, Any]:
        """Entry ``entry_id``'s result, with the shape every reader counts on: ``providers`` a list
        of objects, each naming its provider; :class:`DamagedEntry` otherwise (edited by hand)."""
        result = self._stored_object(entry_id, "result", text)
        providers = result.get("providers", [])
        if not isinstance(providers, list) or not all(isinstance(p, dict) and isinstance(p.get("provider"), str) for p in providers):
            raise DamagedEntry(
                f"entry {entry_id} of the publish history {self.path} is damaged: its result's providers are not a list of"
                " results that each name a provider; the file is left as it is"
            )
        return result

    def family(self, entry_id: int) -> Family:
        """What the attempts of ``entry_id``'s family got: the first attempt it retries, that one's
        retries and theirs, and ``entry_id`` itself.  A retry of ``entry_id`` must leave out what
        any of them posted (its own row may still say a network failed that a sibling reached), and
        warn of what any of them left unknown (that post may be live).  :class:`DamagedEntry` when
        one of them cannot be read: what it got is then not known."""
        posts: dict[str, int] = {}
        unknown: dict[str, list[int]] = {}
        with self._using() as db:
            for attempt, result in self._family_results(db, self._first_of(db, entry_id)):
                whole_unknown = result.get("outcome") == "unknown"  # then a network said failed may have the post too
                for p in result.get("providers", []):
                    name, status = p["provider"], p.get("status")
                    if status == "posted":
                        posts[name] = min(posts.get(name, attempt), attempt)
                    elif status == "unknown" or (status == "failed" and whole_unknown):
                        unknown.setdefault(name, []).append(attempt)
        return Family(entry_id, posts, {name: sorted(numbers) for name, numbers in unknown.items()})

    @staticmethod
    def _first_of(db: sqlite3.Connection, entry_id: int) -> int:
        """The first attempt of ``entry_id``'s family: the one that no other retries."""
        first, seen = entry_id, {entry_id}
        while True:
            parent = db.execute("SELECT retry_of FROM attempts WHERE id = ?", (first,)).fetchone()
            if parent is None or parent[0] is None or parent[0] in seen:
                return first
            first = parent[0]
            seen.add(first)

    def _family_results(self, db: sqlite3.Connection, first: int) -> Iterator[tuple[int, dict[str, Any]]]:
        """Attempt ``first``, its retries and theirs, each with its result (read as :meth:`get`
        reads it: a damaged one raises :class:`DamagedEntry`)."""
        pending, visited = [first], set()
        while pending:
            current = pending.pop()
            if current in visited:
                continue
            visited.add(current)
            row = db.execute("SELECT result FROM attempts WHERE id = ?", (current,)).fetchone()
            if row is not None:
                yield current, self._stored_result(current, row[0])
            pending.extend(child for (child,) in db.execute("SELECT id FROM attempts WHERE retry_of = ?", (current,)))

    def recent_uids(self, profile: str, limit: int) -> list[tuple[str, str]]:
        """The last ``limit`` different UIDs published for through ``profile``, newest first, each
        with the time it was last used."""
        with self._using() as db:
            rows = db.execute(
                "SELECT uid, max(time) FROM attempts WHERE profile = ? AND uid != '' GROUP BY uid ORDER BY max(id) DESC LIMIT ?",
                (profile, limit),
            ).fetchall()
        return [(uid, when) for uid, when in rows]

    def count(self) -> int:
        with self._using() as db:
            return int(db.execute("SELECT count(*) FROM attempts").fetchone()[0])


def left_out(damaged: list[int]) -> str:
    """What an export says of the entries :meth:`History.readable` found damaged."""
    numbers = ", ".join(str(n) for n in damaged)
    if len(damaged) == 1:
        return f"entry {numbers} of the history is damaged and was left out"
    return f"entries {numbers} of the history are damaged and were left out"


def export_json(entries: Iterable[Entry]) -> str:
    return json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "id", "time", "profile", "UID", "draftName", "outcome", "attempted", "failed", "summary", "retryOf", "plan", "case", "callId",
    "serverTime", "provider", "status", "postId", "errorCode", "errorMessage", "errorDetails",
)


def export_csv(entries: Iterable[Entry]) -> str:
    """One line per provider result, for QA reports; every field of the history's row is on each
    line (the draft, request and raw answer are in the JSON export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        result, row = entry.result, entry.row
        for p in result.get("providers", []) or [{}]:
            writer.writerow(
                [
                    row.id,
                    row.time,
                    row.profile,
                    row.uid,
                    row.draft_name,
                    row.outcome,
                    ",".join(row.attempted),
                    ",".join(row.failed),
                    row.summary,
                    "" if row.retry_of is None else row.retry_of,
                    row.plan or "",
                    row.case or "",
                    result.get("callId") or "",
                    result.get("time") or "",
                    p.get("provider", ""),
                    p.get("status", ""),
                    p.get("postId") or "",
                    "" if p.get("errorCode") is None else p.get("errorCode"),
                    p.get("errorMessage") or "",
                    p.get("errorDetails") or "",
                ]
            )
    return out.getvalue()
