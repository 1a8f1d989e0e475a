"""The limits within which the sandbox reads JSON-valued parameters (composer.sandbox.json_values)."""

from __future__ import annotations

import sys

import pytest

from composer.sandbox.json_values import LARGEST_NUMBER, MAX_DEPTH, JSONValueError, read_json


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_up_to_the_limit_is_read():
    value = read_json(nested(MAX_DEPTH), "userAction")
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize(
    "text",
    [
        nested(MAX_DEPTH + 1),
        "[" * (MAX_DEPTH + 1),  # not even closed: refused before json would recurse into it
        '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
        "[" * (100 * sys.getrecursionlimit()),
    ],
)
def test_deeper_nesting_is_refused(text):
    with pytest.raises(JSONValueError) as refused:
        read_json(text, "userAction")
    assert str(refused.value) == f"userAction is nested deeper than {MAX_DEPTH} levels"
    assert refused.value.field == "userAction"


def test_brackets_inside_strings_do_not_count():
    text = '{"title": "' + "[{" * 1000 + '", "quoted": "\\"[[[[", "path": "a\\\\"}'
    assert read_json(text, "userAction")["title"] == "[{" * 1000


@pytest.mark.parametrize("text", [str(int(LARGEST_NUMBER)), str(-int(LARGEST_NUMBER)), "1.7976931348623157e308", "-0", "12345678901234567890"])
def test_numbers_within_a_double_are_read_exactly(text):
    assert read_json(text, "actionAttributes") == (int(text) if "." not in text and "e" not in text else float(text))


@pytest.mark.parametrize(
    "text",
    [
        str(int(LARGEST_NUMBER) + 1),
        "1" + "0" * 309,
        "9" * 5000,  # more digits than Python's int() takes
        "-" + "9" * 5000,
        "1e400",
        "-1e400",
    ],
)
def test_numbers_beyond_a_double_are_refused(text):
    with pytest.raises(JSONValueError, match=r"^userLocation holds a number out of range \(") as refused:
        read_json(text, "userLocation")
    assert len(str(refused.value)) < 200  # the number is shown shortened


@pytest.mark.parametrize("name", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(name):
    with pytest.raises(JSONValueError, match=rf"^actionAttributes holds {name}, which is not a JSON number$"):
        read_json(f'{{"a": [{name}]}}', "actionAttributes")


@pytest.mark.parametrize("text", ['"\\ud800"', '{"\\udc00": 1}', '["ok", "x\\udbff"]'])
def test_half_a_surrogate_pair_is_refused(text):
    with pytest.raises(JSONValueError, match=r"^userAction holds text that is not valid Unicode \(an unpaired surrogate \\ud"):
        read_json(text, "userAction")


def test_a_surrogate_pair_is_one_character():
    assert read_json('"\\ud83d\\ude00"', "userAction") == "\U0001f600"


@pytest.mark.parametrize("text", ["{", "", "{'a': 1}", '{"a": 1} trailing', "\x00"])
def test_text_that_is_not_json_says_where(text):
    with pytest.raises(JSONValueError, match=r"^twitterUserAction is not valid JSON \(.* at line 1, column \d+\)$"):
        read_json(text, "twitterUserAction")
