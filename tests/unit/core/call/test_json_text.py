"""The one JSON reader with limits (composer.core.call.model.parse_json): draft files, parameters
given as JSON text, the autosave and the sandbox's JSON-valued parameters are all read with it."""

from __future__ import annotations

import sys

import pytest

from composer.core.call.model import LARGEST_NUMBER, MAX_JSON_DEPTH, JSONTextError, parse_json


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_up_to_the_limit_is_read():
    value = parse_json(nested(MAX_JSON_DEPTH))
    for _ in range(MAX_JSON_DEPTH - 1):
        value = value[0]
    assert value == []


TOO_DEEP = f"is nested too deeply (more than {MAX_JSON_DEPTH} levels of objects and lists)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (nested(MAX_JSON_DEPTH + 1), TOO_DEEP),
        ('{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1), TOO_DEEP),
        ("[" * (100 * sys.getrecursionlimit()), TOO_DEEP),  # deeper than the decoder can recurse
        ("[" * (MAX_JSON_DEPTH + 1), "is not valid JSON (Expecting value at line 1, column 34)"),  # never closed
    ],
)
def test_deeper_nesting_is_refused(text, reason):
    with pytest.raises(JSONTextError) as refused:
        parse_json(text)
    assert str(refused.value) == reason


def test_brackets_inside_strings_do_not_count():
    text = '{"title": "' + "[{" * 1000 + '", "quoted": "\\"[[[[", "path": "a\\\\"}'
    assert parse_json(text)["title"] == "[{" * 1000


@pytest.mark.parametrize("text", [str(int(LARGEST_NUMBER)), str(-int(LARGEST_NUMBER)), "1.7976931348623157e308", "-0", "12345678901234567890"])
def test_numbers_within_a_double_are_read_exactly(text):
    assert parse_json(text) == (int(text) if "." not in text and "e" not in text else float(text))


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
    with pytest.raises(JSONTextError, match=r"^holds a number beyond the range of a double \(") as refused:
        parse_json(text)
    assert len(str(refused.value)) < 200  # the number is shown shortened


@pytest.mark.parametrize("name", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(name):
    with pytest.raises(JSONTextError, match=rf"^is not valid JSON \({name} is not a JSON number\)$"):
        parse_json(f'{{"a": [{name}]}}')


@pytest.mark.parametrize("text", ['"\\ud800"', '{"\\udc00": 1}', '["ok", "x\\udbff"]'])
def test_half_a_surrogate_pair_is_refused(text):
    with pytest.raises(JSONTextError, match=r"^contains a lone UTF-16 surrogate"):
        parse_json(text)


def test_a_surrogate_pair_is_one_character():
    assert parse_json('"\\ud83d\\ude00"') == "\U0001f600"


@pytest.mark.parametrize("text", ["{", "", "{'a': 1}", '{"a": 1} trailing', "\x00"])
def test_text_that_is_not_json_says_where(text):
    with pytest.raises(JSONTextError, match=r"^is not valid JSON \(.* at line 1, column \d+\)$"):
        parse_json(text)
