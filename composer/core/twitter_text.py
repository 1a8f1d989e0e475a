"""Twitter/X's v3 weighted tweet length, without Qt and without third-party packages.

X does not count characters: it counts *weighted units*.  The rules (``config/v3.json`` of the
public twitter-text project) are:

* the text is NFC-normalised first;
* 280 units at most, counted in hundredths ("scale 100"): a code point in the light ranges
  (U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037) weighs 100, any other 200;
* every URL, however long, weighs 23 units (the length of the t.co link that replaces it);
* an emoji, including a whole ZWJ sequence, a flag, a keycap or a skin-tone variant, weighs 200
  once, so that a family emoji made of seven code points still costs 2 units.

Which substrings are URLs is decided the way twitter-text's extractor decides it: a scheme is
optional, but a scheme-less candidate needs a known top-level domain, hosts whose labels are too
long to be valid DNS names are not URLs, t.co slugs are capped, and so on.  The conformance data
in ``shared/twitter-text`` pins the behaviour down; this module is written from those rules and
passes those cases.

Ranges (:attr:`TweetLength.display_range`, :attr:`TweetLength.valid_range`) are reported in the
units the conformance data uses, which are UTF-16 code units (JavaScript string indices); every
other index in this module (:attr:`TweetLength.overflow_index`, :func:`extract_urls`) is an index
into the Python ``str``, i.e. code points.

Cost: importing this module compiles only a few small patterns.  The ~1,600 TLD names and the
regular expressions built from them are loaded on the first URL extraction and then kept for the
process.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["MAX_WEIGHTED_LENGTH", "TweetLength", "extract_urls", "parse_tweet"]

#: The most weighted units a tweet may have.
MAX_WEIGHTED_LENGTH = 280

_SCALE = 100
_LIGHT_WEIGHT = 100
_DEFAULT_WEIGHT = 200
_URL_WEIGHT = 23 * _SCALE
_EMOJI_WEIGHT = _DEFAULT_WEIGHT
#: Longest URL (scheme included, UTF-16 units) twitter-text accepts.
_MAX_URL_LENGTH = 4096
#: A DNS label longer than this (after punycode) makes a host invalid.
_MAX_LABEL_LENGTH = 63
#: Longest t.co slug that is still taken for a link.
_MAX_TCO_SLUG_LENGTH = 40
_DEFAULT_SCHEME = "https://"

# --- character classes (bodies of [...] sets), as twitter-text defines them -------------------

#: ASCII punctuation that ends a host name label (twitter-text leaves out `"` and backtick).
_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Characters that make a tweet invalid wherever they are.
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    "\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
#: Anything that may appear in a host label: not punctuation, space, invalid or directional.
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
#: The same plus the hyphen and underscore that may occur inside a label.
_LABEL_CHAR = f"[^{_PUNCT.replace('_', '').replace(chr(92) + '-', '')}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_PATH_CHAR = rf"[a-zA-Z\u0400-\u04ff0-9!*';:=+,.$/%#\[\]\-\u2013_~|&@{_LATIN_ACCENTS}]"
_PATH_END_CHAR = rf"[+\-a-zA-Z\u0400-\u04ff0-9=_#/{_LATIN_ACCENTS}]"
_QUERY_CHAR = r"[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END_CHAR = r"[a-zA-Z0-9\-_&=#/]"

# --- weights and emoji: small, compiled at import (a few microseconds) -----------------------

#: A code point that weighs the default 200 rather than 100.
_HEAVY = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_INVALID_CHAR = re.compile(f"[{_INVALID}]")

#: Pictographs that start an emoji: the BMP symbol blocks X renders as emoji and the astral
#: emoji planes (skin-tone modifiers included, so a lone modifier is one emoji too).  Regional
#: indicators are left out: only a pair of them is a flag.  Over-inclusion is harmless here:
#: none of these lie in the light ranges, so a lone one weighs 200 either way; what matters is
#: that the modifiers, selectors and joiners after it are absorbed into the same unit.
_PICTOGRAPH = (
    "[\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff]"
)
#: What may follow a pictograph inside one emoji: presentation selector, skin tone, or a tag
#: sequence (subdivision flags such as England's are a black flag plus tag characters).
_EMOJI_SUFFIX = "(?:\ufe0f|[\U0001f3fb-\U0001f3ff]|[\U000e0020-\U000e007e]+\U000e007f)?"
_EMOJI_ELEMENT = f"{_PICTOGRAPH}{_EMOJI_SUFFIX}"
_EMOJI = re.compile(
    "[#*0-9]\ufe0f?\u20e3"  # keycap: 1️⃣ and the older 1⃣
    "|[\U0001f1e6-\U0001f1ff]{2}"  # flag: a pair of regional indicators
    # © and ® are plain Latin-1 text (weight 100) unless asked to render as emoji
    "|[\xa9\xae]\ufe0f"
    f"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"  # ZWJ sequences: 👨‍👩‍👧‍👦 is one emoji
)


@dataclass(frozen=True)
class TweetLength:
    """The weighted length of a text and how much of it fits in a tweet.

    ``display_range`` and ``valid_range`` are inclusive ``(start, end)`` pairs in UTF-16 code
    units, exactly as twitter-text and its conformance data report them; ``valid_range`` ends at
    the last unit that still fits and precedes any invalid character.  ``overflow_index`` is a
    *field* holding the index (a code point index into the original, un-normalised ``str``) of
    the first character whose weight no longer fits in ``limit``, or ``None`` when everything
    fits.  It is about weight only: an invalid character (U+FFFE, U+FEFF, U+FFFF) makes
    ``valid`` false and shortens ``valid_range`` but does not set ``overflow_index``.
    """

    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]
    limit: int = MAX_WEIGHTED_LENGTH
    overflow_index: int | None = None

    @property
    def remaining(self) -> int:
        """Units left before the limit; negative once the text is too long."""
        return self.limit - self.weighted_length


# --- URL extraction ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _UrlPatterns:
    """Regular expressions that need the TLD list, built once on first use."""

    dotted_run: re.Pattern[str]
    label_run: re.Pattern[str]
    host: re.Pattern[str]
    ascii_host: re.Pattern[str]
    path: re.Pattern[str]
    query: re.Pattern[str]
    tco: re.Pattern[str]


def _trie_pattern(words: Sequence[str]) -> str:
    """An alternation matching exactly ``words``, factored into a trie.

    Python's ``re`` tries the branches of a flat 1,600-way alternation one by one; sharing
    prefixes makes the TLD test cost a handful of steps instead.  Longer words are preferred,
    which only matters for non-ASCII TLDs (an ASCII TLD must be followed by a non-alphanumeric).
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            # Each branch is a single atom-led sequence, so wrap before making it optional.
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return emit(trie)


@functools.cache
def _url_patterns() -> _UrlPatterns:
    """Compile the URL machinery, importing the TLD data on the first call only."""
    from composer.core.twitter_tlds import COUNTRY_TLDS, GENERIC_TLDS

    tlds = sorted(set(GENERIC_TLDS.split()) | set(COUNTRY_TLDS.split()))
    # An ASCII TLD must not run on into letters, digits, "@", "+" or "-" ("foo.comm",
    # "john.doe.gov@mail.com", "domain.com-foo" are not URLs).
    tld = f"(?:(?i:{_trie_pattern(tlds)})(?=[^0-9a-zA-Z@+\\-]|$)|(?i:xn--)[\\-0-9a-zA-Z]+)"
    # Labels are matched possessively then checked to end well: a label cannot contain a dot,
    # so there is nothing to backtrack into, and long CJK runs stay linear.
    subdomain = f"{_DOMAIN_CHAR}(?:{_LABEL_CHAR}*+(?<={_DOMAIN_CHAR}))?\\."
    name_char = f"[^{_PUNCT.replace(chr(92) + '-', '')}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
    domain_name = f"{_DOMAIN_CHAR}(?:{name_char}*+(?<={_DOMAIN_CHAR}))?\\."
    balanced_parens = f"\\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*)\\)"
    return _UrlPatterns(
        dotted_run=re.compile(f"(?<!{_LABEL_CHAR}){_LABEL_CHAR}++(?=\\.)"),
        label_run=re.compile(f"{_LABEL_CHAR}*+"),
        host=re.compile(
            f"(?P<scheme>(?i:https?://))?(?P<domain>(?:{subdomain})*{domain_name}{tld})"
            "(?::[0-9]+)?"
        ),
        ascii_host=re.compile(f"(?:[\\-a-zA-Z0-9{_LATIN_ACCENTS}]+\\.)+{tld}"),
        path=re.compile(f"/(?:{_PATH_CHAR}|{balanced_parens})*"),
        query=re.compile(f"\\?{_QUERY_CHAR}*"),
        tco=re.compile(
            f"(?i:https?://t\\.co/)([a-zA-Z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END_CHAR})?"
        ),
    )


_PATH_END = re.compile(f"{_PATH_END_CHAR}|\\)")
_QUERY_END = re.compile(_QUERY_END_CHAR)
#: Characters after which a URL may not start (it would be part of a word, a mention, a
#: hashtag or a cashtag).
_NOT_BEFORE_URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@＠$#＃")
_NOT_BEFORE_URL |= frozenset(_INVALID)
#: A scheme-less URL right after one of these is a fragment of something else.
_NOT_BEFORE_BARE_URL = frozenset("-_./")
_IDN_DOTS = re.compile("[\u3002\uff0e\uff61]")
_LABEL_CHAR_RE = re.compile(_LABEL_CHAR)
#: A domain character (a label character other than "-" and "_") that a URL may start at.
_STARTABLE = re.compile(f"(?<=[^A-Za-z0-9@＠$#＃{_INVALID}])[^\\-_]")


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit twitter-text (JavaScript) measures in."""
    return len(text.encode("utf-16-le")) // 2 if not text.isascii() else len(text)


def _can_start_after(text: str, start: int, floor: int) -> bool:
    """Whether a URL may begin at ``start`` given what precedes it.

    The character before the URL must sit at or after ``floor`` (the end of the previous match,
    as in a global regex scan) and must not glue the URL to a word, mention or tag.
    """
    if start == 0:
        return floor == 0
    return start - 1 >= floor and text[start - 1] not in _NOT_BEFORE_URL


def _host_is_valid(domain: str, patterns: _UrlPatterns) -> bool:
    """Whether every label of ``domain`` is a DNS label of 1..63 characters once punycoded.

    An already punycoded host ("xn--...") must be pure ASCII to begin with.
    """
    if domain.startswith("xn--") and not patterns.ascii_host.search(domain):
        return False
    for label in domain.split("."):
        parts = _IDN_DOTS.split(label)
        encoded_length = len(parts) - 1
        for part in parts:
            if part.isascii():
                encoded_length += len(part)
                continue
            try:
                encoded_length += 4 + len(part.encode("punycode"))
            except UnicodeError:
                return False
        if not 1 <= encoded_length <= _MAX_LABEL_LENGTH:
            return False
    return True


def _trim(text: str, lower: int, end: int, ending: re.Pattern[str]) -> int:
    """Back ``end`` up (not below ``lower``) to just after a character matching ``ending``.

    A path or query may contain ".", "," or "!", but may not end with one: "see
    example.com/path." links to "/path".
    """
    while end > lower and not ending.match(text, end - 1):
        end -= 1
    return end


def _url_tail_end(text: str, end: int, patterns: _UrlPatterns) -> tuple[int, bool]:
    """Extend a URL from the end of its host (and port) over a path and a query string.

    Returns the new end and whether there was a path: a scheme-less URL keeps what follows its
    host only when it has a path.  A query counts only right after an untrimmed path.
    """
    has_path = False
    path = patterns.path.match(text, end)
    if path:
        has_path = True
        path_end = _trim(text, end + 1, path.end(), _PATH_END)
        if path_end < path.end():
            return path_end, has_path
        end = path_end
    query = patterns.query.match(text, end)
    if query:
        query_end = _trim(text, end + 1, query.end(), _QUERY_END)
        if query_end > end + 1:
            end = query_end
    return end, has_path


def _first_host_match(
    text: str, floor: int, patterns: _UrlPatterns
) -> tuple[int, re.Match[str]] | None:
    """The leftmost place at or after ``floor`` where the URL grammar matches.

    This is what a global regex scan would find, without its cost: a host must contain a dot,
    and its first label is a run of label characters that ends at that dot, so only such runs
    are examined.  Inside a run every start gives the same host, except that a start before an
    underscore cannot begin a single-label name; so at most three starts per run are tried, and
    long unspaced CJK text stays linear where a plain regex search is quadratic.
    """
    for run_start in _dotted_runs(text, floor, patterns):
        run_end = patterns.label_run.match(text, run_start).end()
        scheme_start = _scheme_start(text, run_start)
        if scheme_start is not None and _can_start_after(text, scheme_start, floor):
            match = patterns.host.match(text, scheme_start)
            if match:
                return scheme_start, match
        for start in _bare_starts(text, run_start, run_end, floor):
            match = patterns.host.match(text, start)
            if match:
                return start, match
    return None


def _dotted_runs(text: str, floor: int, patterns: _UrlPatterns) -> Iterator[int]:
    """Starts of the runs of label characters that end at a dot, from ``floor`` on.

    A run cut by ``floor`` (the previous URL ended inside it) is yielded from ``floor``.
    """
    if 0 < floor < len(text) and _LABEL_CHAR_RE.match(text, floor - 1):
        run_end = patterns.label_run.match(text, floor).end()
        if floor < run_end < len(text) and text[run_end] == ".":
            yield floor
    for match in patterns.dotted_run.finditer(text, floor):
        yield match.start()


def _scheme_start(text: str, host_start: int) -> int | None:
    """Where "http://" or "https://" (any case) ends right at ``host_start``, if it does."""
    for scheme in ("https://", "http://"):
        start = host_start - len(scheme)
        if start >= 0 and text[start:host_start].lower() == scheme:
            return start
    return None


def _bare_starts(text: str, run_start: int, run_end: int, floor: int) -> list[int]:
    """Starts worth trying for a scheme-less host in one label run, in scan order.

    A regex scan orders attempts by the character *before* the URL, so a start at index 1
    (after the character at 0) comes before the start at index 0 (after the text's beginning).
    """
    starts: list[int] = []
    first = _first_startable(text, max(run_start, floor + 1, 1), run_end)
    if first is not None:
        starts.append(first)
    underscore = text.rfind("_", run_start, run_end)
    if underscore >= 0 and (first is None or first <= underscore):
        after = _first_startable(text, max(underscore + 1, floor + 1), run_end)
        if after is not None:
            starts.append(after)
    if run_start == 0 and floor == 0 and text[0] not in "-_":
        starts.insert(1 if starts and starts[0] == 1 else 0, 0)
    return starts


def _first_startable(text: str, lower: int, end: int) -> int | None:
    """First index in ``[lower, end)`` of a domain character after an allowed predecessor."""
    match = _STARTABLE.search(text, lower, end)
    return match.start() if match else None


@dataclass(frozen=True)
class _Candidate:
    """One match of the URL grammar, before the checks that may reject it."""

    start: int
    end: int
    host_start: int
    domain: str
    scheme: str
    has_path: bool


def _candidates(text: str) -> Iterator[_Candidate]:
    """Every match of the URL grammar, left to right, as a global regex scan would find them."""
    if "." not in text:
        return
    patterns = _url_patterns()
    floor = 0
    while True:
        found = _first_host_match(text, floor, patterns)
        if found is None:
            return
        start, match = found
        end, has_path = _url_tail_end(text, match.end(), patterns)
        yield _Candidate(
            start=start,
            end=end,
            host_start=match.start("domain"),
            domain=match.group("domain"),
            scheme=match.group("scheme") or "",
            has_path=has_path,
        )
        floor = end


def _url_spans(text: str) -> Iterator[tuple[int, int]]:
    """Apply twitter-text's acceptance rules to each candidate and yield the URL spans."""
    for cand in _candidates(text):
        patterns = _url_patterns()
        url_length = _utf16_len(text[cand.start : cand.end])
        if len(cand.scheme or _DEFAULT_SCHEME) + url_length > _MAX_URL_LENGTH:
            continue
        if not _host_is_valid(cand.domain, patterns):
            continue
        if cand.scheme:
            yield from _tco_checked(text, cand, patterns)
        else:
            yield from _bare_url_spans(text, cand, patterns)


def _tco_checked(text: str, cand: _Candidate, patterns: _UrlPatterns) -> Iterator[tuple[int, int]]:
    """A t.co link ends after its slug (and query): "http://t.co/abc's" links to "/abc".

    Slugs longer than t.co ever issues mean the text is not a t.co link at all.
    """
    tco = patterns.tco.match(text, cand.start, cand.end)
    if tco is None:
        yield cand.start, cand.end
    elif len(tco.group(1)) <= _MAX_TCO_SLUG_LENGTH:
        yield cand.start, tco.end()


def _bare_url_spans(
    text: str, cand: _Candidate, patterns: _UrlPatterns
) -> Iterator[tuple[int, int]]:
    """Scheme-less URLs: the ASCII host names found inside the matched host.

    The host grammar accepts any letters, so "これは日本語です。example.com" matches as one host; only
    its ASCII (and Latin-accented) domain names are links.  The last one keeps the path, port and
    query when there is a path.
    """
    if cand.start > 0 and text[cand.start - 1] in _NOT_BEFORE_BARE_URL:
        return
    hosts = [
        (cand.host_start + m.start(), cand.host_start + m.end())
        for m in patterns.ascii_host.finditer(cand.domain)
    ]
    if not hosts:
        return
    if cand.has_path:
        hosts[-1] = (hosts[-1][0], cand.end)
    yield from hosts


def extract_urls(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` indices into ``text`` (code points, end exclusive) of every URL.

    URLs with and without a scheme are found, following twitter-text's extraction rules: a
    scheme-less one needs a known TLD ("example.com", "t.co/x"; not "foo.baz"), must not follow
    "@", "#", "$", a letter or a digit, and trailing punctuation is left out.
    """
    return list(_url_spans(text))


# --- weighing -----------------------------------------------------------------------------------


def _plain_weight(segment: str) -> int:
    """Weight of text that holds no URL or emoji, in hundredths of a unit."""
    if segment.isascii():
        return _LIGHT_WEIGHT * len(segment)
    heavy = len(_HEAVY.findall(segment))
    return _LIGHT_WEIGHT * len(segment) + (_DEFAULT_WEIGHT - _LIGHT_WEIGHT) * heavy


def _char_weight(char: str) -> int:
    return _DEFAULT_WEIGHT if _HEAVY.match(char) else _LIGHT_WEIGHT


def _entities(text: str) -> list[tuple[int, int, int]]:
    """URLs and emoji as ``(start, end, weight)``, in text order, never overlapping.

    Counting walks the text left to right and swallows a whole entity where one starts; a URL
    wins over an emoji that starts at the same place, and an entity that starts inside one
    already swallowed is ignored.
    """
    found = [(start, 0, end, _URL_WEIGHT) for start, end in _url_spans(text)]
    if not text.isascii():
        found += [(m.start(), 1, m.end(), _EMOJI_WEIGHT) for m in _EMOJI.finditer(text)]
        found.sort()
    entities: list[tuple[int, int, int]] = []
    consumed = 0
    for start, _kind, end, weight in found:
        if start >= consumed:
            entities.append((start, end, weight))
            consumed = end
    return entities


def _units(text: str, entities: list[tuple[int, int, int]]) -> Iterator[tuple[int, int, int]]:
    """Counting units ``(start, end, weight)``: each entity, and each other code point."""
    position = 0
    for start, end, weight in entities:
        for index in range(position, start):
            yield index, index + 1, _char_weight(text[index])
        yield start, end, weight
        position = end
    for index in range(position, len(text)):
        yield index, index + 1, _char_weight(text[index])


def _fit(
    text: str, entities: list[tuple[int, int, int]], first_invalid: int | None
) -> tuple[int | None, int | None]:
    """Walk the units to find what fits.

    Returns the index of the last code point of the last unit that is within the limit and before
    any invalid character (``None`` when there is none), and the start of the first unit over
    the limit (``None`` when all fit).  Each unit weighs at least 100, so the walk stops within
    about 280 units whatever the length of the text.
    """
    limit = MAX_WEIGHTED_LENGTH * _SCALE
    total = 0
    last_valid: int | None = None
    for start, end, weight in _units(text, entities):
        total += weight
        if total > limit:
            return last_valid, start
        if first_invalid is None or start < first_invalid:
            last_valid = end - 1
        elif start > first_invalid and total > limit:
            break
    return last_valid, None


def _original_index(original: str, normalized_index: int) -> int:
    """Map an index into ``NFC(original)`` back to ``original``.

    The text is cut where normalisation cannot reach across (before a starter that does not
    compose with what precedes it); each piece normalises on its own, so indices map piece by
    piece, and within a piece by offset, clamped to the piece.
    """
    piece_start = 0
    normalized_start = 0
    length = len(original)
    for cut in range(1, length + 1):
        if cut < length and not _is_normalization_boundary(original, cut):
            continue
        piece = unicodedata.normalize("NFC", original[piece_start:cut])
        if normalized_start + len(piece) > normalized_index:
            offset = normalized_index - normalized_start
            return piece_start + min(offset, cut - piece_start - 1)
        normalized_start += len(piece)
        piece_start = cut
    return length


def _is_normalization_boundary(text: str, index: int) -> bool:
    char = text[index]
    if unicodedata.combining(char):
        return False
    pair = text[index - 1 : index + 1]
    return unicodedata.normalize("NFC", pair) == (
        unicodedata.normalize("NFC", text[index - 1]) + unicodedata.normalize("NFC", char)
    )


def parse_tweet(text: str) -> TweetLength:
    """Weigh ``text`` as X does (twitter-text v3 rules, emoji counted as one unit each)."""
    if unicodedata.is_normalized("NFC", text):
        normalized = text
    else:
        normalized = unicodedata.normalize("NFC", text)
    entities = _entities(normalized)
    total = 0
    position = 0
    for start, end, weight in entities:
        total += _plain_weight(normalized[position:start]) + weight
        position = end
    total += _plain_weight(normalized[position:])

    invalid = _INVALID_CHAR.search(normalized)
    first_invalid = invalid.start() if invalid else None
    limit = MAX_WEIGHTED_LENGTH * _SCALE
    if total <= limit and first_invalid is None:
        last_valid: int | None = len(normalized) - 1 if normalized else None
        overflow: int | None = None
    else:
        last_valid, overflow = _fit(normalized, entities, first_invalid)

    original_length16 = _utf16_len(text)
    if last_valid is None:
        valid_end = 0
    else:
        # twitter-text shifts the end by the length lost to normalisation, in UTF-16 units.
        shift = original_length16 - _utf16_len(normalized)
        valid_end = _utf16_len(normalized[: last_valid + 1]) - 1 + shift
    if overflow is not None and normalized is not text:
        overflow = _original_index(text, overflow)

    weighted_length = total // _SCALE
    return TweetLength(
        weighted_length=weighted_length,
        valid=first_invalid is None and 0 < weighted_length <= MAX_WEIGHTED_LENGTH,
        permillage=math.floor(weighted_length / MAX_WEIGHTED_LENGTH * 1000),
        display_range=(0, max(original_length16 - 1, 0)),
        valid_range=(0, valid_end),
        overflow_index=overflow,
    )
