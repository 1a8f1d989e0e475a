"""Every publish attempt, kept locally in SQLite in the app's data folder.

An entry holds the time, the profile's name (never a secret), the request's parameters (secret and
signature redacted), the draft, the raw response, each provider's result and the outcome.  A file
that is not a readable database is set aside (``history.sqlite.corrupt-<time>``) with a message and
a new one is started, so the app always starts.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
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
    retry_of INTEGER
);
CREATE INDEX IF NOT EXISTS attempts_time ON attempts(time);
"""

_LIST_COLUMNS = "id, time, profile, outcome, attempted, failed, summary, retry_of"


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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "profile": self.profile,
            "outcome": self.outcome,
            "attempted": list(self.attempted),
            "failed": list(self.failed),
            "summary": self.summary,
            "retryOf": self.retry_of,
        }


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


def _split(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split(",") if x)


def _row(values: tuple) -> Row:
    return Row(values[0], values[1], values[2], values[3], _split(values[4]), _split(values[5]), values[6], values[7])


class HistoryUnavailable(RuntimeError):
    """The history file exists and is fine, but cannot be opened now (locked)."""


def default_path() -> Path:
    return files.data_dir() / FILE_NAME


class History:
    """A connection to the history file; safe to share between threads (one lock)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_path()
        #: set when a corrupt file was set aside on open: a sentence for the user
        self.recovered: str = ""
        self._lock = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                # a healthy file another process holds: never set that aside
                raise HistoryUnavailable(f"the publish history {self.path} is locked by another program ({exc}); try again") from None
            return self._set_aside(exc)
        except sqlite3.DatabaseError as exc:
            return self._set_aside(exc)

    def _set_aside(self, exc: Exception) -> sqlite3.Connection:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm", "-journal"):
            extra = Path(str(self.path) + suffix)
            if extra.exists():  # kept beside the set-aside file: it may hold recent entries
                extra.replace(Path(str(aside) + suffix))
        self.recovered = f"The publish history could not be read ({exc}); it was set aside as {aside.name} and a new one started."
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            db.execute("SELECT count(*) FROM attempts").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

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
        when: datetime | None = None,
    ) -> int:
        """Record one attempt; ``result`` is PublishResult.to_json()."""
        providers = result.get("providers", [])
        attempted = [p["provider"] for p in providers if p.get("status") != "not_attempted"]
        failed = [p["provider"] for p in providers if p.get("status") in ("failed", "unknown")]
        ua = draft.get("userAction") or {}
        summary = " ".join(str(ua.get(k, "")) for k in ("title", "userMessage", "linkBack") if ua.get(k))
        summary = f"{draft.get('UID', '')}: {summary}"[:500]
        stamp = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        raw = result.get("response")
        response_text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False) if raw is not None else ""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO attempts (time, profile, outcome, attempted, failed, summary, draft, request, response, result, retry_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    profile,
                    result.get("outcome", "unknown"),
                    ",".join(attempted),
                    ",".join(failed),
                    summary,
                    json.dumps(draft, ensure_ascii=False),
                    json.dumps(result.get("request", {}), ensure_ascii=False),
                    response_text,
                    json.dumps(result, ensure_ascii=False),
                    retry_of,
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
            where.append("(summary LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR request LIKE ? ESCAPE '\\')")
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [pattern, pattern, pattern]
        sql = f"SELECT {_LIST_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            return [_row(r) for r in self._db.execute(sql, args).fetchall()]

    def get(self, entry_id: int) -> Entry | None:
        with self._lock:
            r = self._db.execute(
                f"SELECT {_LIST_COLUMNS}, draft, request, response, result FROM attempts WHERE id = ?", (entry_id,)
            ).fetchone()
        if r is None:
            return None
        return Entry(_row(r[:8]), json.loads(r[8]), json.loads(r[9]), r[10], json.loads(r[11]))

    def posted_by_retries(self, entry_id: int) -> set[str]:
        """Providers that retries of ``entry_id`` (and retries of those) posted to."""
        posted: set[str] = set()
        pending = [entry_id]
        seen: set[int] = set()
        while pending:
            parent = pending.pop()
            if parent in seen:
                continue
            seen.add(parent)
            with self._lock:
                rows = self._db.execute("SELECT id, result FROM attempts WHERE retry_of = ?", (parent,)).fetchall()
            for child_id, result in rows:
                pending.append(child_id)
                for p in json.loads(result).get("providers", []):
                    if p.get("status") == "posted":
                        posted.add(p.get("provider", ""))
        return posted

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM attempts").fetchone()[0])


def export_json(entries: Iterable[Entry]) -> str:
    return json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("id", "time", "profile", "outcome", "callId", "provider", "status", "postId", "errorCode", "errorMessage", "errorDetails")


def export_csv(entries: Iterable[Entry]) -> str:
    """One line per provider result, for QA reports."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        result = entry.result
        for p in result.get("providers", []) or [{}]:
            writer.writerow(
                [
                    entry.row.id,
                    entry.row.time,
                    entry.row.profile,
                    entry.row.outcome,
                    result.get("callId") or "",
                    p.get("provider", ""),
                    p.get("status", ""),
                    p.get("postId") or "",
                    "" if p.get("errorCode") is None else p.get("errorCode"),
                    p.get("errorMessage") or "",
                    p.get("errorDetails") or "",
                ]
            )
    return out.getvalue()
