"""Plan files: a UTF-8 JSON object naming the plan, an optional CSV file of data rows and the cases.

Read with the same care as drafts: unknown keys are kept and reported as warnings; anything
malformed is refused with :class:`PlanError`, whose message names the file, the case and the key.
A case's draft is a path relative to the plan file or an object inline; ``{{column}}`` in the
draft's strings (and in its UID) is replaced by each data row's value, so every row runs every case.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.core.call.draft import DraftError, draft_from_object, load_draft
from composer.core.call.model import JSONTextError, PublishCall, parse_json
from composer.core.contract import PROVIDERS
from composer.core.storage.files import UnreadableFile, atomic_write, read_user_text
from composer.core.units import MB
from composer.core.wire.result import Outcome, Status

#: our choice: a plan with a thousand inline drafts of a few kilobytes fits; a larger file is not a plan
MAX_PLAN_BYTES = 16 * MB
#: our choice: a data file of a hundred thousand short rows fits; a larger one is not test data
MAX_DATA_BYTES = 16 * MB

PLAN_KEYS = ("name", "data", "cases")
CASE_KEYS = ("name", "draft", "UID", "expect")
EXPECT_KEYS = ("outcome", "providers", "refused")
PROVIDER_EXPECT_KEYS = ("status", "errorCode")
OUTCOMES = tuple(o.value for o in Outcome)
STATUSES = tuple(s.value for s in Status)

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


class PlanError(ValueError):
    """A plan that cannot be run.  The message names the file, the case and the key."""


@dataclass
class ProviderExpectation:
    status: str
    error_code: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.error_code is not None:
            out["errorCode"] = self.error_code
        return out


@dataclass
class Expectation:
    """What a case expects: refused by validation, or an outcome and some networks' results."""

    outcome: str = ""
    providers: dict[str, ProviderExpectation] = field(default_factory=dict)
    refused: bool = False

    def to_json(self) -> dict[str, Any]:
        if self.refused:
            return {"refused": True}
        out: dict[str, Any] = {}
        if self.outcome:
            out["outcome"] = self.outcome
        if self.providers:
            out["providers"] = {name: p.to_json() for name, p in self.providers.items()}
        return out


@dataclass
class Case:
    name: str
    #: the draft as written in the plan: a path (relative to the plan file) or an object
    draft: str | dict[str, Any]
    expect: Expectation
    uid: str | None = None
    #: keys of the case that are not ours: kept and written back
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "draft": self.draft}
        if self.uid is not None:
            out["UID"] = self.uid
        out["expect"] = self.expect.to_json()
        out.update(self.extra)
        return out


@dataclass
class Plan:
    name: str
    cases: list[Case] = field(default_factory=list)
    data: str = ""
    #: the plan file (drafts and data are relative to its folder); None for a plan not saved yet
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: what reading it noticed (unknown keys, credentials dropped from a draft)
    warnings: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.data:
            out["data"] = self.data
        out["cases"] = [c.to_json() for c in self.cases]
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class CaseRun:
    """One case with one data row: what the runner publishes.  ``call`` is None when the case
    could not be prepared (``error`` says why): it is reported as an error, not a failure."""

    name: str
    case: str
    expect: Expectation
    call: PublishCall | None
    error: str = ""
    row: int | None = None
    #: the file name of the case's draft ("" for a draft written inline), as the history names it
    draft_name: str = ""


# --- reading ---


def read_text(path: Path, what: str, limit: int) -> str:
    """A UTF-8 text file within ``limit`` bytes, or :class:`PlanError` saying why not."""
    try:
        return read_user_text(path, what, limit)
    except UnreadableFile as exc:
        raise PlanError(str(exc)) from None


def load_plan(path: str | Path) -> Plan:
    path = Path(path)
    return parse_plan(read_text(path, "test plan", MAX_PLAN_BYTES), path)


def parse_plan(text: str, path: Path | None = None) -> Plan:
    source = str(path) if path else "plan"
    try:
        data = parse_json(text)
    except JSONTextError as exc:
        raise PlanError(f"{source} {exc}") from None
    return plan_from_object(data, path)


def plan_from_object(data: Any, path: Path | None = None) -> Plan:
    source = str(path) if path else "plan"
    if not isinstance(data, dict):
        raise PlanError(f"{source} must be a JSON object with \"cases\" (found {_kind(data)} at the top level)")
    plan = Plan(name="", path=path)
    name = data.get("name", path.stem if path else "plan")
    if not isinstance(name, str) or not name.strip():
        raise PlanError(f"{source}: name must be a non-empty string")
    plan.name = name.strip()
    data_file = data.get("data", "")
    if not isinstance(data_file, str):
        raise PlanError(f"{source}: data must be the path of a CSV file (found {_kind(data_file)})")
    plan.data = data_file
    cases = data.get("cases")
    if not isinstance(cases, list):
        raise PlanError(f"{source}: cases must be a list of cases (found {_kind(cases) if 'cases' in data else 'nothing'})")
    for key in data:
        if key not in PLAN_KEYS:
            plan.extra[key] = data[key]
            if not key.startswith("_"):  # "_comment" and the like are comments, as in a sandbox scenario
                plan.warnings.append(f"{source}: unknown key {key!r} (kept, not used)")
    seen: set[str] = set()
    for number, item in enumerate(cases, 1):
        case = _case(item, number, source, plan)
        if case.name in seen:
            raise PlanError(f"{source}: case {number} ({case.name!r}): name is used by an earlier case; each case needs its own")
        seen.add(case.name)
        plan.cases.append(case)
    if plan.data:
        columns, _rows = read_rows(plan)
        for case in plan.cases:
            _check_placeholders(case, plan, columns, source)
    return plan


def _case(item: Any, number: int, source: str, plan: Plan) -> Case:
    where = f"{source}: case {number}"
    if not isinstance(item, dict):
        raise PlanError(f"{where} must be a JSON object (found {_kind(item)})")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PlanError(f"{where}: name must be a non-empty string")
    where = f"{source}: case {number} ({name.strip()!r})"
    extra = {}
    for key in item:
        if key not in CASE_KEYS:
            extra[key] = item[key]
            if not key.startswith("_"):
                plan.warnings.append(f"{where}: unknown key {key!r} (kept, not used)")
    if "draft" not in item:
        raise PlanError(f"{where}: draft is missing (a path relative to the plan, or a draft object)")
    draft = item["draft"]
    if isinstance(draft, str):
        if not draft.strip():
            raise PlanError(f"{where}: draft must be a path relative to the plan, or a draft object (found an empty string)")
        try:
            loaded = load_draft(plan.folder / draft)
        except DraftError as exc:
            raise PlanError(f"{where}: draft: {exc}") from None
        plan.warnings.extend(f"{where}: draft {p}" for p in loaded.notes)
    elif isinstance(draft, dict):
        try:
            checked = draft_from_object(draft, "draft")
        except DraftError as exc:
            raise PlanError(f"{where}: {exc}") from None
        plan.warnings.extend(f"{where}: draft {p}" for p in checked.notes)
    else:
        raise PlanError(f"{where}: draft must be a path relative to the plan, or a draft object (found {_kind(draft)})")
    uid = item.get("UID")
    if uid is not None and not isinstance(uid, str):
        raise PlanError(f"{where}: UID must be a string (found {_kind(uid)})")
    if "expect" not in item:
        raise PlanError(f"{where}: expect is missing (for example {{\"outcome\": \"posted\"}})")
    return Case(name.strip(), draft, _expectation(item["expect"], where, plan), uid, extra)


def _expectation(data: Any, where: str, plan: Plan) -> Expectation:
    if not isinstance(data, dict):
        raise PlanError(f"{where}: expect must be a JSON object (found {_kind(data)})")
    for key in data:
        if key not in EXPECT_KEYS:
            plan.warnings.append(f"{where}: unknown key expect.{key} (not checked)")
    refused = data.get("refused", False)
    if not isinstance(refused, bool):
        raise PlanError(f"{where}: expect.refused must be true or false (found {_kind(refused)})")
    outcome = data.get("outcome", "")
    if outcome != "" and outcome not in OUTCOMES:
        raise PlanError(f"{where}: expect.outcome must be one of {', '.join(OUTCOMES)} (found {json.dumps(outcome, ensure_ascii=False)})")
    providers = data.get("providers", {})
    if not isinstance(providers, dict):
        raise PlanError(f"{where}: expect.providers must be an object of networks (found {_kind(providers)})")
    if refused and (outcome or providers):
        raise PlanError(f"{where}: expect.refused cannot go with expect.outcome or expect.providers: a refused draft is never sent")
    if not refused and not outcome and not providers:
        raise PlanError(f"{where}: expect names nothing to check: give outcome, providers or \"refused\": true")
    expected: dict[str, ProviderExpectation] = {}
    for provider, value in providers.items():
        key = f"expect.providers.{provider}"
        if provider not in PROVIDERS:
            raise PlanError(f"{where}: {key}: {provider!r} is not a network ({', '.join(PROVIDERS)})")
        if not isinstance(value, dict):
            raise PlanError(f"{where}: {key} must be an object with status (found {_kind(value)})")
        for extra in value:
            if extra not in PROVIDER_EXPECT_KEYS:
                plan.warnings.append(f"{where}: unknown key {key}.{extra} (not checked)")
        status = value.get("status")
        if status not in STATUSES:
            raise PlanError(f"{where}: {key}.status must be one of {', '.join(STATUSES)} (found {json.dumps(status, ensure_ascii=False)})")
        code = value.get("errorCode")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise PlanError(f"{where}: {key}.errorCode must be a whole number (found {json.dumps(code, ensure_ascii=False)})")
        expected[provider] = ProviderExpectation(status, code)
    return Expectation(outcome, expected, refused)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")


# --- data rows ---


def read_rows(plan: Plan) -> tuple[list[str], list[dict[str, str]]]:
    """The data file's columns and rows (each row a column -> value mapping)."""
    path = plan.folder / plan.data
    source = f"{plan.path or 'plan'}: data {plan.data}"
    text = read_text(path, "CSV file", MAX_DATA_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise PlanError(f"{source}: the first line must name the columns")
        columns = [h.strip() for h in header]
        if len(set(columns)) != len(columns) or "" in columns:
            raise PlanError(f"{source}: every column needs a name of its own (found {', '.join(repr(c) for c in columns)})")
        rows = []
        for values in reader:
            if not values or not any(v.strip() for v in values):
                continue  # a blank line, often the last one
            if len(values) != len(columns):
                raise PlanError(f"{source}: line {reader.line_num} has {len(values)} value(s); the header names {len(columns)}")
            rows.append(dict(zip(columns, values, strict=True)))
    except csv.Error as exc:
        raise PlanError(f"{source}: line {reader.line_num} is not valid CSV ({exc})") from None
    return columns, rows


def _placeholders(value: Any) -> Iterator[tuple[str, str]]:
    """(path, column) of every ``{{column}}`` in the strings of ``value``."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            for match in _PLACEHOLDER.finditer(item):
                yield where, match.group(1)
        elif isinstance(item, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(item))


def _check_placeholders(case: Case, plan: Plan, columns: list[str], source: str) -> None:
    template = _template(case, plan)  # a draft file's strings take the row's values too
    draft = {"UID": case.uid or "", "draft": template if isinstance(template, dict) else {}}
    for where, column in _placeholders(draft):
        if column not in columns:
            raise PlanError(
                f"{source}: case {case.name!r}: {where} uses {{{{{column}}}}}, which the data file {plan.data} has no column for "
                f"(columns: {', '.join(columns)})"
            )


def substitute(value: Any, row: dict[str, str]) -> Any:
    """``value`` with ``{{column}}`` replaced in every string (a column the row lacks stays as written)."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: row.get(m.group(1), m.group(0)), value) if "{{" in value else value
    if isinstance(value, dict):
        return {k: substitute(v, row) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, row) for v in value]
    return value


# --- expanding ---


def case_runs(plan: Plan, name_filter: str = "") -> Iterator[CaseRun]:
    """Every case with every data row (once each without data), whose name contains
    ``name_filter`` (any case).  Lazy: a thousand rows are prepared as they are run."""
    rows: list[dict[str, str] | None] = [None]
    if plan.data:
        _columns, data_rows = read_rows(plan)
        rows = list(data_rows)
    wanted = name_filter.casefold()
    templates: dict[str, dict[str, Any] | str] = {}
    for number, row in enumerate(rows, 1):
        for case in plan.cases:
            name = case.name if row is None else f"{case.name} [row {number}]"
            if wanted and wanted not in name.casefold():
                continue
            if case.name not in templates:
                templates[case.name] = _template(case, plan)
            template = templates[case.name]
            if isinstance(template, str):  # the draft file could not be read (again)
                yield CaseRun(name, case.name, case.expect, None, template, number if row else None, _draft_name(case))
                continue
            yield _prepared(name, case, template, row, number if row else None)


def _template(case: Case, plan: Plan) -> dict[str, Any] | str:
    if isinstance(case.draft, dict):
        return case.draft
    try:
        return load_draft(plan.folder / case.draft).call.to_draft()
    except DraftError as exc:
        return str(exc)


def _prepared(name: str, case: Case, template: dict[str, Any], row: dict[str, str] | None, number: int | None) -> CaseRun:
    draft = substitute(template, row) if row else dict(template)
    if case.uid is not None:
        draft["UID"] = substitute(case.uid, row) if row else case.uid
    try:
        call = draft_from_object(draft, "draft").call
    except DraftError as exc:
        return CaseRun(name, case.name, case.expect, None, str(exc), number, _draft_name(case))
    return CaseRun(name, case.name, case.expect, call, "", number, _draft_name(case))


def _draft_name(case: Case) -> str:
    return Path(case.draft).name if isinstance(case.draft, str) else ""


def count_runs(plan: Plan, name_filter: str = "") -> int:
    rows = len(read_rows(plan)[1]) if plan.data else 1
    wanted = name_filter.casefold()
    if not wanted:
        return rows * len(plan.cases)
    return sum(1 for _ in case_runs(plan, name_filter))


# --- writing ---


def dump_plan(plan: Plan) -> str:
    return json.dumps(plan.to_json(), ensure_ascii=False, indent=2) + "\n"


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write the plan atomically.  A case's draft given as a path stays relative to the plan's
    folder it was written for: saving elsewhere rewrites those paths to point at the same files."""
    path = Path(path).absolute()
    if plan.path is not None and path.parent != plan.path.absolute().parent:
        old = plan.path.absolute().parent
        for case in plan.cases:
            if isinstance(case.draft, str):
                case.draft = _relative(old / case.draft, path.parent)
        if plan.data:
            plan.data = _relative(old / plan.data, path.parent)
    atomic_write(path, dump_plan(plan), mode=None)
    plan.path = path


def _relative(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
