"""Reading plan files with the care of drafts: unknown keys warn, a malformed plan is refused with a
message naming the case and the key; CSV rows expand every case with {{column}} replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.core.plans.expectation import Got, describe_got, mismatches
from composer.core.plans.plan import Case, Expectation, PlanError, ProviderExpectation, case_runs, load_plan, save_plan

DRAFT = {"userAction": {"title": "Hi {{product}}", "linkBack": "https://example.com/{{slug}}"}}


def write_plan(folder: Path, plan: object, name: str = "plan.json") -> Path:
    path = folder / name
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan), "utf-8")
    return path


def one_case(**changes) -> dict:
    case = {"name": "rate limit", "draft": DRAFT, "UID": "demo-partial", "expect": {"outcome": "partial"}}
    case.update(changes)
    return {"name": "spring", "cases": [case]}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (one_case(expect={"outcome": "sent"}), "case 1 ('rate limit'): expect.outcome must be one of posted, partial, failed, unknown (found \"sent\")"),
        (one_case(expect={"providers": {"twitter": {"status": "failed", "errorCode": "403048"}}}),
         "case 1 ('rate limit'): expect.providers.twitter.errorCode must be a whole number"),
        (one_case(expect={"providers": {"myspace": {"status": "posted"}}}), "expect.providers.myspace: 'myspace' is not a network"),
        (one_case(expect={"providers": {"twitter": {"status": "ok"}}}), "expect.providers.twitter.status must be one of"),
        (one_case(expect={"refused": True, "outcome": "failed"}), "expect.refused cannot go with expect.outcome"),
        (one_case(expect={}), "expect names nothing to check"),
        (one_case(draft=["not", "a", "draft"]), "case 1 ('rate limit'): draft must be a path relative to the plan, or a draft object (found a list)"),
        (one_case(draft="missing.json"), "case 1 ('rate limit'): draft: "),
        (one_case(draft={"userAction": "{not json"}), "case 1 ('rate limit'): draft: userAction"),
        (one_case(UID=5), "case 1 ('rate limit'): UID must be a string (found a number)"),
        ({"name": "spring", "cases": [{"draft": DRAFT, "expect": {"outcome": "posted"}}]}, "case 1: name must be a non-empty string"),
        ({"name": "spring", "cases": {}}, "cases must be a list of cases"),
        ({"name": "spring"}, "cases must be a list of cases (found nothing)"),
        ([1, 2], "must be a JSON object with \"cases\" (found a list at the top level)"),
        ("{\"cases\": [", "is not valid JSON"),
    ],
)
def test_a_malformed_plan_is_refused_naming_the_case_and_the_key(tmp_path, case, message):
    path = write_plan(tmp_path, case)
    with pytest.raises(PlanError) as refused:
        load_plan(path)
    assert message in str(refused.value)
    assert str(path) in str(refused.value)


def test_two_cases_with_one_name_are_refused(tmp_path):
    plan = one_case()
    plan["cases"].append(dict(plan["cases"][0]))
    with pytest.raises(PlanError, match=r"case 2 \('rate limit'\): name is used by an earlier case"):
        load_plan(write_plan(tmp_path, plan))


def test_unknown_keys_are_warnings_kept_when_saved(tmp_path):
    plan = one_case(owner="qa-team")
    plan["schedule"] = "nightly"
    plan["_comment"] = "a comment, not a warning"
    plan["cases"][0]["expect"]["strict"] = True
    loaded = load_plan(write_plan(tmp_path, plan))
    assert loaded.warnings == [
        f"{tmp_path / 'plan.json'}: unknown key 'schedule' (kept, not used)",
        f"{tmp_path / 'plan.json'}: case 1 ('rate limit'): unknown key 'owner' (kept, not used)",
        f"{tmp_path / 'plan.json'}: case 1 ('rate limit'): unknown key expect.strict (not checked)",
    ]
    save_plan(loaded, tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text("utf-8"))
    assert again["schedule"] == "nightly" and again["cases"][0]["owner"] == "qa-team"


def test_data_rows_run_every_case_with_columns_replaced(tmp_path):
    (tmp_path / "rows.csv").write_text('product,slug\nLinen shirt,linen\n"Scarf, cotton",scarf\n\n', "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "launch.json").write_text(json.dumps({"UID": "someone", "userAction": {"title": "{{product}} launch"}}), "utf-8")
    plan = {
        "name": "spring", "data": "rows.csv",
        "cases": [
            {"name": "all post", "draft": "drafts/launch.json", "UID": "demo-all-ok", "expect": {"outcome": "posted"}},
            {"name": "rate limit", "draft": DRAFT, "UID": "demo-{{slug}}", "expect": {"outcome": "partial"}},
        ],
    }
    runs = list(case_runs(load_plan(write_plan(tmp_path, plan))))
    assert [r.name for r in runs] == ["all post [row 1]", "rate limit [row 1]", "all post [row 2]", "rate limit [row 2]"]
    assert runs[0].call.UID == "demo-all-ok" and runs[0].call.userAction.title == "Linen shirt launch"
    assert runs[3].call.UID == "demo-scarf"
    assert runs[3].call.userAction.title == "Hi Scarf, cotton" and runs[3].call.userAction.linkBack == "https://example.com/scarf"
    assert [r.name for r in case_runs(load_plan(tmp_path / "plan.json"), "RATE")] == ["rate limit [row 1]", "rate limit [row 2]"]


def test_a_column_the_data_lacks_and_a_ragged_row_are_refused(tmp_path):
    (tmp_path / "rows.csv").write_text("product\nLinen\n", "utf-8")
    with pytest.raises(PlanError, match=r"case 'rate limit': draft.userAction.linkBack uses \{\{slug\}\}, which the data file rows.csv has no column for"):
        load_plan(write_plan(tmp_path, {**one_case(), "data": "rows.csv"}))
    (tmp_path / "launch.json").write_text(json.dumps({"userAction": {"title": "{{product}} at {{price}}"}}), "utf-8")
    with pytest.raises(PlanError, match=r"case 'rate limit': draft.userAction.title uses \{\{price\}\}, which the data file rows.csv has no column"):
        load_plan(write_plan(tmp_path, {**one_case(draft="launch.json"), "data": "rows.csv"}))
    (tmp_path / "rows.csv").write_text("product,slug\nLinen\n", "utf-8")
    with pytest.raises(PlanError, match="data rows.csv: line 2 has 1 value"):
        load_plan(write_plan(tmp_path, {**one_case(), "data": "rows.csv"}))
    (tmp_path / "rows.csv").write_bytes(b"product,slug\n\xff\xfe,x\n")
    with pytest.raises(PlanError, match="is not UTF-8 text"):
        load_plan(write_plan(tmp_path, {**one_case(), "data": "rows.csv"}))


def test_saving_elsewhere_keeps_pointing_at_the_same_draft_file(tmp_path):
    (tmp_path / "launch.json").write_text(json.dumps({"userAction": {"title": "t"}}), "utf-8")
    plan = load_plan(write_plan(tmp_path, one_case(draft="launch.json")))
    (tmp_path / "elsewhere").mkdir()
    save_plan(plan, tmp_path / "elsewhere" / "plan.json")
    moved = load_plan(tmp_path / "elsewhere" / "plan.json")
    assert moved.cases[0].draft == "../launch.json"
    assert next(case_runs(moved)).call.userAction.title == "t"


def test_expectations_say_expected_against_got():
    expect = Expectation("partial", {"twitter": ProviderExpectation("failed", 403048)})
    got = Got(outcome="posted", providers={"twitter": ("posted", 0), "facebook": ("posted", 0)})
    assert mismatches(expect, got) == ["outcome: expected partial, got posted", "twitter: expected failed 403048, got posted"]
    assert describe_got(got, expect) == "posted, twitter posted, facebook posted"
    assert mismatches(Expectation(refused=True), got) == ["expected validation to refuse the draft, got posted ()"]
    assert mismatches(Expectation("failed"), Got(refused=True, problems=("error: userAction: empty",))) == [
        "expected failed, got refused by validation: error: userAction: empty"
    ]
    wrong_code = Got(outcome="partial", providers={"twitter": ("failed", 403024)})
    assert mismatches(expect, wrong_code) == ["twitter: expected errorCode 403048, got 403024"]
    assert Case("c", {}, expect).to_json()["expect"] == {"outcome": "partial", "providers": {"twitter": {"status": "failed", "errorCode": 403048}}}
