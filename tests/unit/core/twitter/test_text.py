"""The weighted tweet length: twitter-text's conformance cases, read at test time, plus our own.

The conformance files live in ``../shared/twitter-text`` and are read here, never copied into the
project (upstream asks implementers to keep running the current cases rather than a frozen
copy).  Where the folder is missing each conformance test skips with the reason; under CI it
fails instead (both through ``shared_path``).
"""

from __future__ import annotations

import re
import time
import timeit
from typing import Any

import pytest
import yaml

from composer.core.twitter import text as twitter_text
from composer.core.twitter.text import MAX_WEIGHTED_LENGTH, TweetLength, _patterns, extract_urls, parse_tweet
from tests.helpers.environment import shared_path

#: Conformance cases this implementation is known to get wrong, by description, with the reason.
#: Each becomes a strict xfail, so a case that starts passing is noticed.  Empty: all pass.
KNOWN_FAILURES: dict[str, str] = {}


def _load(filename: str) -> dict[str, Any] | None:
    """The ``tests`` mapping of a conformance file, or None when the shared folder is missing.

    Collection must not skip the whole module, so a missing file yields one placeholder case
    whose test calls ``shared_path`` again, to skip (locally) or fail (CI) with the reason.
    """
    try:
        path = shared_path("twitter-text", filename)
    except (pytest.skip.Exception, pytest.fail.Exception):
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]


def _cases(filename: str, *sections: str) -> list[Any]:
    """One pytest param per conformance case of ``sections``, identified by its description."""
    data = _load(filename)
    if data is None:
        return [pytest.param(None, id=f"{filename} missing")]
    params = []
    for section in sections:
        for case in data[section]:
            description = case["description"]
            marks = []
            if description in KNOWN_FAILURES:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[description]))
            params.append(pytest.param(case, id=description, marks=marks))
    return params


def _require(case: dict[str, Any] | None, filename: str) -> dict[str, Any]:
    if case is None:
        shared_path("twitter-text", filename)  # skips, or fails under CI
        pytest.fail(f"{filename} could not be read")  # pragma: no cover - shared_path raised
    return case


def _as_conformance(result: TweetLength) -> dict[str, Any]:
    return {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range[0],
        "displayRangeEnd": result.display_range[1],
        "validRangeStart": result.valid_range[0],
        "validRangeEnd": result.valid_range[1],
    }


# --- conformance ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    _cases(
        "validate.yml",
        "WeightedTweetsWithDiscountedEmojiCounterTest",
        "UnicodeDirectionalMarkerCounterTest",
    ),
)
def test_weighted_length_conformance(case: dict[str, Any] | None) -> None:
    case = _require(case, "validate.yml")
    assert _as_conformance(parse_tweet(case["text"])) == case["expected"]


@pytest.mark.parametrize("case", _cases("extract.yml", "urls", "tco_urls_with_params"))
def test_extract_urls_conformance(case: dict[str, Any] | None) -> None:
    case = _require(case, "extract.yml")
    text = case["text"]
    assert [text[start:end] for start, end in extract_urls(text)] == case["expected"]


@pytest.mark.parametrize(
    "case", _cases("extract.yml", "urls_with_indices", "urls_with_directional_markers")
)
def test_extract_urls_with_indices_conformance(case: dict[str, Any] | None) -> None:
    """These cases hold no character beyond the BMP, so code point and UTF-16 indices agree."""
    case = _require(case, "extract.yml")
    text = case["text"]
    found = [{"url": text[start:end], "indices": [start, end]} for start, end in extract_urls(text)]
    assert found == case["expected"]


def test_embedded_tlds_match_tld_lib() -> None:
    """The TLD data module is the shared tld_lib.yml, unchanged."""
    from composer.core.twitter import tlds as twitter_tlds

    data = yaml.safe_load(shared_path("twitter-text", "tld_lib.yml").read_text(encoding="utf-8"))
    assert twitter_tlds.COUNTRY_TLDS.split() == data["country"]
    assert twitter_tlds.GENERIC_TLDS.split() == data["generic"]


# --- our own cases --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("see example.香港です", ["example.香港"]),  # a Unicode TLD may run on into other text
        ("EXAMPLE.COM rocks", ["EXAMPLE.COM"]),  # TLDs in any case
        ("foo.comm and foo.company", ["foo.company"]),  # an ASCII TLD must end there; the longest wins
        ("john.doe.gov@mail.com", []),
        ("a.b.example.co.jp/x", ["a.b.example.co.jp/x"]),  # the longest host
        ("これは日本語です。example.com", ["example.com"]),  # only the ASCII domain name of the host
        ("http://xn--80ak6aa92e.xn--p1ai/", ["http://xn--80ak6aa92e.xn--p1ai/"]),  # punycode TLD
    ],
)
def test_tld_rules(text: str, urls: list[str]) -> None:
    assert [text[start:end] for start, end in extract_urls(text)] == urls


def test_url_expressions_do_not_embed_the_tld_list() -> None:
    """The TLDs are a set looked up per candidate: compiled into the expressions, the 1,600 names
    took 23 ms on the first URL of a session and 1 MB at the peak."""
    patterns = twitter_text._url_patterns()
    compiled = [getattr(patterns, name) for name in patterns.__slots__ if isinstance(getattr(patterns, name), re.Pattern)]
    assert compiled and all(len(pattern.pattern) < 2000 for pattern in compiled)
    assert len(patterns.tlds) > 1500


def test_300_latin_characters_overflow_at_280() -> None:
    result = parse_tweet("a" * 300)
    assert result.weighted_length == 300
    assert result.limit == MAX_WEIGHTED_LENGTH == 280
    assert result.remaining == -20
    assert result.overflow_index == 280
    assert not result.valid
    assert result.valid_range == (0, 279)
    assert result.display_range == (0, 299)


def test_text_that_fits_has_no_overflow() -> None:
    result = parse_tweet("a" * 280)
    assert (result.weighted_length, result.remaining, result.overflow_index) == (280, 0, None)
    assert result.valid
    assert result.permillage == 1000


def test_cjk_counts_two_units_each() -> None:
    short = parse_tweet("你好，世界")
    assert short.weighted_length == 10
    assert short.remaining == 270
    long = parse_tweet("汉" * 141)
    assert long.weighted_length == 282
    assert long.overflow_index == 140
    assert not long.valid


def test_two_long_urls_count_23_each() -> None:
    first = "https://example.com/" + "x" * 100
    second = "http://www.example.org/" + "y" * 200
    text = f"a {first} and {second}"
    assert parse_tweet(text).weighted_length == 2 + 23 + 5 + 23
    assert [text[start:end] for start, end in extract_urls(text)] == [first, second]


def test_overflow_inside_a_url_points_at_its_start() -> None:
    text = "a" * 270 + " https://example.com/page"
    result = parse_tweet(text)
    assert result.weighted_length == 271 + 23
    assert result.overflow_index == 271


def test_nfc_normalisation_combines_accents() -> None:
    decomposed = "cafe\u0301"  # "café" with a combining acute accent
    result = parse_tweet(decomposed)
    assert result.weighted_length == 4
    assert result.display_range == (0, 4)  # the original text's length, as upstream reports
    assert result.valid_range == (0, 4)
    assert parse_tweet("e\u0301").weighted_length == 1


def test_overflow_index_refers_to_the_original_text() -> None:
    # 281 decomposed "é": each normalises to one code point, and the 281st no longer fits.
    result = parse_tweet("e\u0301" * 281)
    assert result.weighted_length == 281
    assert result.overflow_index == 560


def test_emoji_sequences_count_as_one() -> None:
    assert parse_tweet("👨‍👩‍👧‍👦").weighted_length == 2  # ZWJ family
    assert parse_tweet("🇯🇵").weighted_length == 2  # flag
    assert parse_tweet("1️⃣").weighted_length == 2  # keycap
    assert parse_tweet("👍🏽").weighted_length == 2  # skin tone
    assert parse_tweet("❤️").weighted_length == 2  # presentation selector
    assert parse_tweet("©").weighted_length == 1  # Latin-1 text...
    assert parse_tweet("©️").weighted_length == 2  # ...unless asked to render as emoji


def test_empty_text() -> None:
    """Weighed without compiling an expression: the window's first frame shows an empty draft."""
    _patterns.cache_clear()
    result = parse_tweet("")
    assert (result.weighted_length, result.valid, result.remaining, result.permillage) == (0, False, 280, 0)
    assert result.display_range == result.valid_range == (0, 0)
    assert result.overflow_index is None
    assert _patterns.cache_info().currsize == 0
    assert parse_tweet(" ") != result and _patterns.cache_info().currsize == 1


def test_invalid_character_makes_text_invalid_but_does_not_overflow() -> None:
    result = parse_tweet("abc\ufffedef")
    assert not result.valid
    assert result.valid_range == (0, 2)
    assert result.overflow_index is None


def test_ranges_are_utf16_but_indices_are_code_points() -> None:
    text = "😷 example.com"
    assert extract_urls(text) == [(2, 13)]
    result = parse_tweet(text)
    assert result.weighted_length == 2 + 1 + 23
    assert result.display_range == (0, 13)  # the emoji is two UTF-16 units


def test_result_is_immutable() -> None:
    result = parse_tweet("hi")
    with pytest.raises(AttributeError):
        result.weighted_length = 3  # type: ignore[misc]


def test_long_unspaced_cjk_with_a_domain_stays_fast() -> None:
    """A naive regex scan is quadratic on unspaced text that could be part of a host name."""
    cjk = "故人西辞黄鹤楼，烟花三月下扬州。" * 62
    text = cjk + "example.com" + cjk
    parse_tweet(text)  # warm-up: compiles the TLD expressions
    seconds = min(timeit.repeat(lambda: parse_tweet(text), number=20, repeat=3)) / 20
    assert seconds < 0.005, f"{seconds * 1e3:.2f} ms per call"


@pytest.mark.parametrize("text", ["中." * 600, "中文." * 400, "a." * 1200 + "日本.com"])
def test_many_dots_are_read_once(text: str) -> None:
    """Each label's answer is kept for the text, so the hosts are found in linear time.  (The TLD
    expression this replaced backtracked exponentially: 1.6 s for "中." * 20, and "中." * 600
    would never have finished.)  The bound only guards against that; it is no speed target."""
    extract_urls("warm up example.com")
    started = time.perf_counter()
    assert extract_urls(text) == []
    assert time.perf_counter() - started < 1.0
