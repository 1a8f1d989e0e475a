"""Malformed drafts: each one is a DraftError with a message that says what is wrong, never another
exception; the command line turns it into exit code 2 and one line on stderr."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from composer.core.call.draft import DraftError, load_draft, parse_draft, save_draft
from composer.core.call.model import LARGEST_NUMBER, MAX_JSON_DEPTH


def write(tmp_path: Path, content: str | bytes, name: str = "draft.json") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def draft_error(path: Path) -> str:
    with pytest.raises(DraftError) as info:
        load_draft(path)
    assert type(info.value) is DraftError
    message = str(info.value)
    assert str(path) in message, "the message names the file"
    assert "Traceback" not in message
    return message


# --- JSON that does not parse -----------------------------------------------------------------


def test_truncated_json_names_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "UID": "u",\n  "userAction": {"title": ')
    message = draft_error(path)
    assert "is not valid JSON" in message
    assert "Expecting value at line 3, column 27" in message


def test_missing_comma_names_line_and_column(tmp_path):
    path = write(tmp_path, '{"UID": "u"\n "cid": "x"}')
    message = draft_error(path)
    assert "Expecting ',' delimiter at line 2, column 2" in message


def test_empty_file(tmp_path):
    path = write(tmp_path, b"")
    message = draft_error(path)
    assert "not valid JSON" in message
    assert "line 1, column 1" in message


def test_whitespace_only_file(tmp_path):
    message = draft_error(write(tmp_path, "  \n\n"))
    assert "not valid JSON" in message
    assert "line 3, column 1" in message


def test_deeply_nested_json(tmp_path):
    message = draft_error(write(tmp_path, "[" * 200_000))
    assert "nested too deeply" in message


def test_integer_beyond_a_double(tmp_path):
    # Python itself refuses integer literals over 4300 digits (a ValueError, not a JSONDecodeError)
    message = draft_error(write(tmp_path, '{"UID": ' + "7" * 5000 + "}"))
    assert message.endswith("holds a number beyond the range of a double (77777777777777777777…, 5,000 characters)")
    # the largest integer a double holds is read; one more is not
    largest = int(LARGEST_NUMBER)
    assert load_draft(write(tmp_path, '{"UID": %d}' % largest, "ok.json")).call.UID == str(largest)
    assert "beyond the range of a double" in draft_error(write(tmp_path, '{"UID": -%d}' % (largest + 1), "over.json"))


def test_lone_surrogate_escape(tmp_path):
    # valid JSON, but "\ud800" is not a character: it could be neither saved nor sent as UTF-8
    path = write(tmp_path, '{"UID": "u", "userAction": {"title": "bad \\ud800 text"}}')
    message = draft_error(path)
    assert "surrogate" in message
    # a proper surrogate pair is an ordinary character
    ok = write(tmp_path, '{"UID": "u", "userAction": {"title": "\\ud83c\\udf89"}}', "ok.json")
    assert load_draft(ok).call.userAction.title == "🎉"


def nested(levels: int) -> object:
    """``levels`` lists inside one another, the innermost holding a 1."""
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


def test_nesting_limit_of_the_file(tmp_path):
    # the draft object is the first level; an unknown key may fill the rest
    deepest = {"UID": "u", "custom": nested(MAX_JSON_DEPTH - 1)}
    assert load_draft(write(tmp_path, json.dumps(deepest), "ok.json")).call.extra["custom"] == nested(MAX_JSON_DEPTH - 1)
    message = draft_error(write(tmp_path, json.dumps({"UID": "u", "custom": nested(MAX_JSON_DEPTH)})))
    assert message.endswith(f"is nested too deeply (more than {MAX_JSON_DEPTH} levels of objects and lists)")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(tmp_path, literal):
    message = draft_error(write(tmp_path, '{"UID": "u", "actionAttributes": {"a": %s}}' % literal))
    assert message.endswith(f"is not valid JSON ({literal} is not a JSON number)")


def test_number_too_large_for_a_double(tmp_path):
    # Python reads 1e400 as inf, which would go out as the non-JSON word Infinity
    message = draft_error(write(tmp_path, '{"UID": "u", "userLocation": {"latitude": 1e400}}'))
    assert message.endswith("holds a number beyond the range of a double (1e400)")


# A JSON-valued parameter may be given as a JSON string: it is read with the same limits as the
# file, and the message names the parameter.  It sits on the draft's second level, so it may nest
# one level less than the file: saved as an object, it must open again.
PARAMETER_LIMITS = {
    "deep": (
        {"actionAttributes": json.dumps({"a": nested(MAX_JSON_DEPTH)})},
        f"actionAttributes is nested too deeply (more than {MAX_JSON_DEPTH - 1} levels of objects and lists)",
    ),
    "deep-past-the-decoder": (
        {"userAction": "[" * 5000 + "]" * 5000},
        f"userAction is nested too deeply (more than {MAX_JSON_DEPTH - 1} levels of objects and lists)",
    ),
    "deep-override": (
        {"twitterUserAction": json.dumps({"title": "t", "custom": nested(MAX_JSON_DEPTH)})},
        "twitterUserAction is nested too deeply",
    ),
    "deep-media": (
        {"userAction": {"title": "t", "mediaItems": json.dumps(nested(MAX_JSON_DEPTH + 1))}},
        "userAction.mediaItems is nested too deeply",
    ),
    "long-integer": (
        {"userLocation": '{"latitude": ' + "4" * 4300 + "}"},
        "userLocation holds a number beyond the range of a double (44444444444444444444…, 4,300 characters)",
    ),
    "nan": ({"actionAttributes": '{"a": NaN}'}, "actionAttributes is not valid JSON (NaN is not a JSON number)"),
    "huge-float": ({"userLocation": '{"longitude": -1e999}'}, "userLocation holds a number beyond the range of a double (-1e999)"),
    "surrogate": ({"userAction": '{"title": "\\udc00"}'}, "userAction contains a lone UTF-16 surrogate"),
}


@pytest.mark.parametrize("case", sorted(PARAMETER_LIMITS))
def test_limits_of_a_parameter_given_as_json_text(tmp_path, case):
    params, expected = PARAMETER_LIMITS[case]
    message = draft_error(write(tmp_path, json.dumps({"UID": "u", **params})))
    assert expected in message


def test_the_deepest_parameter_given_as_json_text_is_saved_and_opened_again(tmp_path):
    attributes = {"a": nested(MAX_JSON_DEPTH - 2)}  # the object itself is the first level
    call = load_draft(write(tmp_path, json.dumps({"UID": "u", "actionAttributes": json.dumps(attributes)}))).call
    assert call.actionAttributes == attributes
    save_draft(tmp_path / "saved.json", call)
    assert load_draft(tmp_path / "saved.json").call == call


# --- the wrong kind of JSON -------------------------------------------------------------------


@pytest.mark.parametrize(
    "top, kind",
    [("[]", "list"), ('[{"UID": "u"}]', "list"), ('"text"', "str"), ("42", "int"), ("null", "null"), ("true", "bool")],
)
def test_top_level_not_an_object(tmp_path, top, kind):
    message = draft_error(write(tmp_path, top))
    assert f"must be a JSON object of parameters (found {kind} at the top level)" in message


@pytest.mark.parametrize(
    "draft, expected",
    [
        ({"UID": "u", "userAction": ["title"]}, "userAction expected an object, got a list"),
        ({"UID": "u", "userAction": 5}, "userAction expected an object, got a number"),
        ({"UID": "u", "userAction": "[1]"}, "userAction expected an object, got a list"),
        ({"UID": "u", "userAction": "{title"}, "userAction is not valid JSON"),
        ({"UID": "u", "userAction": {"mediaItems": "https://example.com/a.png"}}, "userAction.mediaItems is not valid JSON"),
        ({"UID": "u", "userAction": {"mediaItems": {"src": "x"}}}, "userAction.mediaItems expected a list, got an object"),
        ({"UID": "u", "userAction": {"mediaItems": ["x"]}}, "userAction.mediaItems[0] expected an object, got text"),
        (
            {"UID": "u", "userAction": {"mediaItems": [{"type": "image", "src": {"url": "x"}}]}},
            "userAction.mediaItems[0].src expected text, got an object",
        ),
        ({"UID": "u", "userAction": {"actionLinks": [["a", "b"]]}}, "userAction.actionLinks[0] expected an object with title and href, got a list"),
        ({"UID": "u", "userAction": {"title": ["a"]}}, "userAction.title expected text, got a list"),
        ({"UID": {"id": 1}}, "UID expected text, got an object"),
        ({"UID": ["u"]}, "UID expected text, got a list"),
        ({"UID": "u", "enabledProviders": 3}, "enabledProviders expected a comma-separated text or a list, got a number"),
        ({"UID": "u", "disabledProviders": {"a": 1}}, "disabledProviders expected a comma-separated text or a list, got an object"),
        ({"UID": "u", "enabledProviders": ["facebook", 7]}, "enabledProviders[1] expected text, got a number"),
        ({"UID": "u", "tags": True}, "tags expected a comma-separated text or a list, got true/false"),
        ({"UID": "u", "actionAttributes": ["a"]}, "actionAttributes expected an object, got a list"),
        ({"UID": "u", "userLocation": [1, 2]}, "userLocation expected an object, got a list"),
        ({"UID": "u", "userLocation": {"latitude": [1]}}, "userLocation.latitude expected text, got a list"),
        ({"UID": "u", "twitterUserAction": ["x"]}, "twitterUserAction expected an object, got a list"),
        ({"UID": "u", "httpStatusCodes": "yes"}, "httpStatusCodes expected true or false, got 'yes'"),
        ({"UID": "u", "cid": {"a": 1}}, "cid expected text, got an object"),
    ],
)
def test_wrong_types(tmp_path, draft, expected):
    message = draft_error(write(tmp_path, json.dumps(draft)))
    assert expected in message
    # the same message without a file
    with pytest.raises(DraftError) as info:
        parse_draft(json.dumps(draft), "pasted")
    assert str(info.value).startswith("pasted")
    assert expected in str(info.value)


# --- files that are not drafts ----------------------------------------------------------------


def test_ten_megabyte_string(tmp_path):
    path = write(tmp_path, '{"UID": "u", "userAction": {"title": "' + "x" * (10 * 1024 * 1024) + '"}}')
    message = draft_error(path)
    assert "is 10,485,801 bytes; a draft file is at most 2,097,152 bytes (2 MB)" in message


def test_binary_garbage(tmp_path):
    # the first byte 0xFF never occurs in UTF-8, whatever os.urandom gives after it
    path = write(tmp_path, b"\xff" + os.urandom(4096))
    message = draft_error(path)
    assert "is not UTF-8 text (byte 0 cannot be decoded); is it a draft file?" in message


def test_random_bytes(tmp_path):
    path = write(tmp_path, os.urandom(4096))
    message = draft_error(path)
    assert "is it a draft file?" in message or "not valid JSON" in message


def test_nul_bytes(tmp_path):
    message = draft_error(write(tmp_path, b'{"UID": "u"}\x00\x00\x00'))
    assert "contains binary data; is it a draft file?" in message


def test_non_utf8_file(tmp_path):
    # Latin-1: the "é" is byte 0xE9 at offset 41
    content = '{"UID": "u", "userAction": {"title": "café"}}'.encode("latin-1")
    assert content.index(b"\xe9") == 41
    message = draft_error(write(tmp_path, content))
    assert "is not UTF-8 text (byte 41 cannot be decoded)" in message


def test_utf16_file(tmp_path):
    message = draft_error(write(tmp_path, '{"UID": "u"}'.encode("utf-16")))
    assert "is not UTF-8 text (byte 0 cannot be decoded)" in message


def test_utf8_bom_is_accepted(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + '{"UID": "ü"}'.encode("utf-8"))
    assert load_draft(path).call.UID == "ü"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.json"
    assert draft_error(path) == f"{path} does not exist"


def test_directory(tmp_path):
    path = tmp_path / "folder.json"
    path.mkdir()
    assert draft_error(path) == f"{path} is a folder, not a draft file"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device():
    # its size is 0 but reading it never ends: it must be refused before it is read
    path = Path("/dev/zero")
    assert draft_error(path) == f"{path} is not a regular file (a device or a pipe?), so it cannot be a draft file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe(tmp_path):
    # opening a pipe nobody writes to would block for ever
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    assert "is not a regular file" in draft_error(path)


def test_unreadable_file(tmp_path):
    """An OS error while reading gets a message.  Root reads any file, so under root (as in CI)
    the error comes from a name the file system refuses instead of from permissions."""
    path = write(tmp_path, '{"UID": "u"}')
    path.chmod(0)
    if os.geteuid() == 0:
        path = tmp_path / ("x" * 300 + ".json")  # ENAMETOOLONG for everyone
    message = draft_error(path)
    assert "cannot be read" in message
    assert "Permission denied" in message or "File name too long" in message


# --- through the command line -----------------------------------------------------------------


CLI_CASES = {
    "truncated": ('{"UID": "u", "userAction": {', "Expecting property name enclosed in double quotes at line 1, column 29"),
    "list-user-action": ('{"UID": "u", "userAction": []}', "userAction expected an object, got a list"),
    "top-level-array": ("[1, 2]", "must be a JSON object of parameters (found list at the top level)"),
    "non-utf8": ('{"UID": "caf\xe9"}'.encode("latin-1"), "is not UTF-8 text"),
    "garbage": (b"\xff" + os.urandom(512), "is not UTF-8 text"),
    "empty": (b"", "line 1, column 1"),
    "huge": ('{"UID": "' + "y" * (3 * 1024 * 1024) + '"}', "a draft file is at most 2,097,152 bytes (2 MB)"),
    "surrogate": ('{"UID": "\\udfff"}', "surrogate"),
    "long-int": ('{"cid": ' + "9" * 4400 + "}", "holds a number beyond the range of a double"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
@pytest.mark.parametrize("as_json", [False, True])
def test_cli_preview_bad_draft_exits_2(tmp_path, capsys, case, as_json):
    from composer.cli import main

    content, expected = CLI_CASES[case]
    path = write(tmp_path, content)
    code = main(["preview", str(path)] + (["--json"] if as_json else []))
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith(f"composer: {path}")
    assert expected in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_cli_preview_missing_file_and_folder(tmp_path, capsys):
    from composer.cli import main

    assert main(["preview", str(tmp_path / "missing.json")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"composer: {tmp_path / 'missing.json'} does not exist\n"
    assert main(["preview", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert err == f"composer: {tmp_path} is a folder, not a draft file\n"


def test_cli_publish_bad_draft_exits_2_and_sends_nothing(tmp_path, capsys):
    from composer.cli import main

    path = write(tmp_path, '{"UID": ["u"]}')
    code = main(["publish", str(path), "--base-url", "http://127.0.0.1:9", "--json"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "UID expected text, got a list" in err
    assert "Traceback" not in err
