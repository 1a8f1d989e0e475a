"""Twitter/X's v3 weighted tweet length, without Qt and without third-party packages.

X does not count characters, it counts *weighted units*.  The rules (``config/v3.json`` of the
public twitter-text project) are:

* the text is NFC-normalised first;
* 280 units at most, counted in hundredths ("scale 100"): a code point in the light ranges
  (U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037) weighs 100, any other 200;
* every URL, however long, weighs 23 units (the length of the t.co link that replaces it);
* an emoji, including a whole ZWJ sequence, a flag, a keycap or a skin-toned variant, weighs 200
  once, so that a family emoji made of seven code points still costs 2 units.

Which substrings are URLs is decided the way twitter-text's extractor decides it: a scheme is
optional, but a scheme-less candidate needs a known top-level domain; hosts whose labels are too
long to be DNS names are not URLs; t.co slugs are capped; trailing punctuation is not part of a
URL.  The conformance data in ``shared/twitter-text`` pins the behaviour down; this module is
written from those rules (not translated from upstream code) and the tests run every case.

Index units: :attr:`TweetLength.display_range` and :attr:`TweetLength.valid_range` are in UTF-16
code units, because that is what twitter-text (a JavaScript library at heart) and its conformance
data report.  Every other index here (:attr:`TweetLength.overflow_index`, :func:`extract_urls`)
is an index into the Python ``str``, i.e. in code points.

Cost: importing this module compiles nothing.  The small patterns are compiled on the first
call; the ~1,600 TLD names are imported into a set, and the URL expressions compiled, on the
first URL extraction (once per process).  The TLDs are looked up in that set rather than compiled
into the expressions: an alternation of that many names is slow to compile and large in memory.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from composer.core.twitter.tlds import COUNTRY_TLDS, GENERIC_TLDS

__all__ = ["MAX_WEIGHTED_LENGTH", "TweetLength", "extract_urls", "parse_tweet"]

#: The most weighted units a tweet may have.
MAX_WEIGHTED_LENGTH = 280

_SCALE = 100
_LIMIT = MAX_WEIGHTED_LENGTH * _SCALE
_LIGHT_WEIGHT = 100
_DEFAULT_WEIGHT = 200
_URL_WEIGHT = 23 * _SCALE
_EMOJI_WEIGHT = _DEFAULT_WEIGHT
#: Longest URL (its scheme, or "https://" when it has none, included; UTF-16 units) accepted.
_MAX_URL_LENGTH = 4096
_DEFAULT_SCHEME = "https://"
#: A DNS label longer than this (once punycoded) makes a host invalid.
_MAX_LABEL_LENGTH = 63
#: The longest t.co slug that is still taken for a t.co link.
_MAX_TCO_SLUG_LENGTH = 40

# --- character classes, as twitter-text defines them ------------------------------------------

#: ASCII punctuation that ends a host label (twitter-text leaves out `"` and the backtick).
_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Characters that make a tweet invalid wherever they are.
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    "\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_NOT_IN_HOST = f"{_SPACES}{_INVALID}{_DIRECTIONAL}"
_PUNCT_BUT_HYPHEN = _PUNCT.replace("\\-", "")
#: A character that may begin or end a host label: no punctuation, space, invalid or
#: directional character; CJK, emoji and the like all qualify.
_DOMAIN_CHAR = f"[^{_PUNCT}{_NOT_IN_HOST}]"
#: A character inside a subdomain label: a domain character, "-" or "_".
_LABEL_CHAR = f"[^{_PUNCT_BUT_HYPHEN.replace('_', '')}{_NOT_IN_HOST}]"
#: A character inside the label before the TLD: a domain character or "-" (no "_").
_NAME_CHAR = f"[^{_PUNCT_BUT_HYPHEN}{_NOT_IN_HOST}]"
#: Characters that may not come right before a URL (it would belong to a word, a mention, a
#: hashtag or a cashtag).
_NOT_BEFORE_URL = f"A-Za-z0-9@＠$#＃{_INVALID}"
_NOT_BEFORE_URL_SET = frozenset(
    f"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@＠$#＃{_INVALID}"
)
_PATH_CHAR = rf"[a-zA-Z\u0400-\u04ff0-9!*';:=+,.$/%#\[\]\-\u2013_~|&@{_LATIN_ACCENTS}]"
_PATH_END_CHAR = rf"[+\-a-zA-Z\u0400-\u04ff0-9=_#/{_LATIN_ACCENTS}]"
_QUERY_CHAR = r"[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END_CHAR = r"[a-zA-Z0-9\-_&=#/]"
#: Code points outside the light ranges of config v3.
_HEAVY_CHAR = "[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]"

#: Pictographs that start an emoji: the BMP symbol blocks X renders as emoji and the astral
#: emoji blocks (skin-tone modifiers included, so a lone modifier is one emoji too).  Regional
#: indicators are left out: only a pair of them is a flag.  Over-inclusion is harmless: none of
#: these lie in the light ranges, so a lone one weighs 200 whether or not it is taken for an
#: emoji; what matters is that selectors, modifiers and joined pictographs after it are
#: swallowed into the same unit.
_PICTOGRAPHS = (
    "\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
_KEYCAP_BASES = "#*0-9"
_REGIONAL_INDICATORS = "\U0001f1e6-\U0001f1ff"
#: © and ® are Latin-1 text (weight 100) unless followed by the emoji presentation selector.
_TEXT_DEFAULT_EMOJI = "\xa9\xae"
#: What may follow a pictograph within one emoji: the emoji presentation selector, a skin
#: tone, or a tag sequence (England's flag is a black flag plus tag characters).
_EMOJI_ELEMENT = (
    f"[{_PICTOGRAPHS}](?:\ufe0f|[\U0001f3fb-\U0001f3ff]|[\U000e0020-\U000e007e]+\U000e007f)?"
)


class _Patterns:
    """The small expressions, compiled once on first use rather than at import."""

    __slots__ = ("emoji", "heavy_run", "invalid", "path_end", "query_end", "idn_dots",
                 "label_char", "startable")

    def __init__(self) -> None:
        # The emoji expression starts with one character class so that ``re`` can skip the
        # (many) positions where no emoji can start in C, then branches on what it consumed.
        self.emoji = re.compile(
            f"[{_KEYCAP_BASES}{_REGIONAL_INDICATORS}{_TEXT_DEFAULT_EMOJI}{_PICTOGRAPHS}]"
            f"(?:(?<=[{_KEYCAP_BASES}])\ufe0f?\u20e3"  # keycap, with or without FE0F
            f"|(?<=[{_REGIONAL_INDICATORS}])[{_REGIONAL_INDICATORS}]"  # flag
            f"|(?<=[{_TEXT_DEFAULT_EMOJI}])\ufe0f"
            # a pictograph, and more joined to it by ZWJ: 👨‍👩‍👧‍👦 is one emoji
            f"|(?<=[{_PICTOGRAPHS}])(?:\ufe0f|[\U0001f3fb-\U0001f3ff]"
            f"|[\U000e0020-\U000e007e]+\U000e007f)?(?:\u200d{_EMOJI_ELEMENT})*)"
        )
        self.heavy_run = re.compile(f"{_HEAVY_CHAR}+")
        self.invalid = re.compile(f"[{_INVALID}]")
        self.path_end = re.compile(f"{_PATH_END_CHAR}|\\)")
        self.query_end = re.compile(_QUERY_END_CHAR)
        self.idn_dots = re.compile("[\u3002\uff0e\uff61]")
        self.label_char = re.compile(_LABEL_CHAR)
        #: a domain character (a label character but "-" and "_") after an allowed character
        self.startable = re.compile(f"(?<=[^{_NOT_BEFORE_URL}])[^\\-_]")


#: What may not follow an ASCII TLD: "foo.comm", "john.doe.gov@mail.com" and "domain.com-foo"
#: hold no URL.
_AFTER_TLD_NOT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@+-")


class _UrlPatterns:
    """The TLD set and the URL expressions, made once on the first URL extraction."""

    __slots__ = ("tlds", "longest_tld", "punycode_tld", "reversed_run", "label_run", "scheme",
                 "subdomain", "name", "port", "ascii_label", "path", "query", "tco")

    def __init__(self, tlds: Sequence[str]) -> None:
        # The TLDs are looked up in a set (see _tld_end) rather than compiled into the host
        # expressions, where an alternation of some 1,600 names would be slow to compile and large.
        self.tlds = frozenset(tlds)
        self.longest_tld = max(map(len, self.tlds))
        self.punycode_tld = re.compile("(?i:xn--)[\\-0-9a-zA-Z]+")
        # a dot and the label run before it, matched in the reversed text (see _dotted_runs)
        self.reversed_run = re.compile(f"\\.{_LABEL_CHAR}++")
        self.label_run = re.compile(f"{_LABEL_CHAR}*+")
        self.scheme = re.compile("(?i:https?://)")
        # A label is taken possessively and then checked to end with a domain character: a label
        # cannot hold a dot, so there is nothing to backtrack into, and long CJK runs stay linear.
        self.subdomain = re.compile(f"{_DOMAIN_CHAR}(?:{_LABEL_CHAR}*+(?<={_DOMAIN_CHAR}))?\\.")
        self.name = re.compile(f"{_DOMAIN_CHAR}(?:{_NAME_CHAR}*+(?<={_DOMAIN_CHAR}))?\\.")
        self.port = re.compile(":[0-9]+")
        self.ascii_label = re.compile(f"[\\-a-zA-Z0-9{_LATIN_ACCENTS}]+\\.")
        # Parentheses only in balanced pairs (one level of nesting), as in Wikipedia links.
        parens = f"\\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*)\\)"
        self.path = re.compile(f"/(?:{_PATH_CHAR}|{parens})*")
        self.query = re.compile(f"\\?{_QUERY_CHAR}*")
        self.tco = re.compile(
            f"(?i:https?://t\\.co/)([a-zA-Z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END_CHAR})?"
        )


class _Host:
    """Where a host matched: its scheme (if any), its domain name, and its end (port included)."""

    __slots__ = ("scheme", "domain_start", "domain_end", "end")

    def __init__(self, scheme: str | None, domain_start: int, domain_end: int, end: int) -> None:
        self.scheme = scheme
        self.domain_start = domain_start
        self.domain_end = domain_end
        self.end = end


def _tld_end(text: str, start: int, url_patterns: _UrlPatterns) -> int | None:
    """End of the TLD that begins at ``start``, or None.

    The longest listed TLD (in any case) wins, provided it does not run on into a letter, digit,
    "@", "+" or "-"; a shorter one is tried next ("example.香港です" ends at 香港).  Failing
    those, a punycode label ("xn--...") is a TLD too.  Case is ignored as ``str.lower`` does,
    as JavaScript's twitter-text does (``re``'s IGNORECASE would also take ı, İ and ſ for i and s).
    """
    tlds = url_patterns.tlds
    for end in range(min(len(text), start + url_patterns.longest_tld), start, -1):
        if text[start:end].lower() in tlds and (end == len(text) or text[end] not in _AFTER_TLD_NOT):
            return end
    punycode = url_patterns.punycode_tld.match(text, start)
    return punycode.end() if punycode else None


def _match_host(text: str, start: int, url_patterns: _UrlPatterns, reach: dict[int, int | None]) -> _Host | None:
    """The host twitter-text's grammar takes at ``start``: an optional scheme, a domain name (see
    _domain_end) and an optional port.  ``reach`` is _domain_end's memory for this text."""
    scheme = url_patterns.scheme.match(text, start)
    domain_start = scheme.end() if scheme else start
    domain_end = _domain_end(text, domain_start, url_patterns, reach)
    if domain_end is None:
        return None
    port = url_patterns.port.match(text, domain_end)
    return _Host(scheme.group() if scheme else None, domain_start, domain_end, port.end() if port else domain_end)


def _domain_end(text: str, start: int, url_patterns: _UrlPatterns, reach: dict[int, int | None]) -> int | None:
    """End of the domain name at ``start``: labels with their dots, the last of them before the TLD
    a "name" (no "_"), then a TLD.  Over the labels the grammar is greedy and backs off label by
    label until a name and a TLD fit: the longest name wins ("a.b.example.com", not "a.b").

    The labels from a position on are the same however the position was reached, so ``reach``
    keeps each label start's answer for the text: a text with many dots is read once, not once
    for every place a URL could start.
    """
    chain: list[int] = []
    position: int | None = start
    while position is not None and position not in reach:
        chain.append(position)
        label = url_patterns.subdomain.match(text, position)
        position = label.end() if label else None
    later = reach[position] if position is not None else None
    for label_start in reversed(chain):
        if later is None:  # no longer name fits: this label as the name, the TLD after it
            name = url_patterns.name.match(text, label_start)
            later = _tld_end(text, name.end(), url_patterns) if name else None
        reach[label_start] = later
    return reach[start]


def _ascii_domains(domain: str, url_patterns: _UrlPatterns) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each ASCII (and Latin-accented) domain name in ``domain``, leftmost
    first, without overlaps: one or more such labels, each with its dot, then a TLD (the last TLD
    that fits wins, as a greedy expression backing off label by label would take it)."""
    reach: dict[int, int | None] = {}  # label start -> end of the TLD its labels reach, or None
    following: dict[int, int] = {}  # label start -> start of the label after it

    def tld_reach(start: int) -> int | None:
        chain: list[int] = []
        position = start
        while position not in reach:
            label = url_patterns.ascii_label.match(domain, position)
            if label is None:
                reach[position] = None
                break
            chain.append(position)
            following[position] = position = label.end()
        for label_start in reversed(chain):
            after = following[label_start]
            later = reach[after]
            reach[label_start] = later if later is not None else _tld_end(domain, after, url_patterns)
        return reach[start]

    position = 0
    while position < len(domain):
        end = tld_reach(position)
        if end is not None:
            yield position, end
            position = end
        else:
            # a later start inside this label sees the same dots and TLDs: none fits
            position = following.get(position, position + 1)


@functools.cache
def _patterns() -> _Patterns:
    return _Patterns()


@functools.cache
def _url_patterns() -> _UrlPatterns:
    """Compile the URL expressions, once per process, when the first text is counted."""
    return _UrlPatterns(sorted(set(GENERIC_TLDS.split()) | set(COUNTRY_TLDS.split())))


@dataclass(frozen=True)
class TweetLength:
    """The weighted length of a text and how much of it fits in a tweet.

    ``display_range`` and ``valid_range`` are inclusive ``(start, end)`` pairs in UTF-16 code
    units, exactly as twitter-text and its conformance data report them; ``valid_range`` ends at
    the last unit that still fits and precedes any invalid character.

    ``overflow_index`` is a *field*: the index (in code points, into the original,
    un-normalised ``str``) of the first character whose weight no longer fits in ``limit``, or
    ``None`` when everything fits.  It is about weight only: an invalid character (U+FFFE, U+FEFF,
    U+FFFF) makes ``valid`` false and cuts ``valid_range`` short but does not set it.
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


# --- URL extraction -----------------------------------------------------------------------------


def extract_urls(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` indices into ``text`` (code points, end exclusive) of every URL.

    URLs with and without a scheme are found, by twitter-text's rules: a scheme-less one needs a
    known TLD ("example.com", "t.co/x", not "foo.baz") and must not follow "@", "#", "$", a
    letter or a digit; trailing punctuation is left out ("example.com/path." ends at "path").
    """
    if "." not in text:
        return []
    patterns, url_patterns = _patterns(), _url_patterns()
    runs = _dotted_runs(text, url_patterns)
    spans: list[tuple[int, int]] = []
    floor = 0
    reach: dict[int, int | None] = {}
    while found := _next_host(text, floor, runs, patterns, url_patterns, reach):
        start, host = found
        end, has_path = _url_tail_end(text, host.end, patterns, url_patterns)
        spans += _accepted(text, start, end, host, has_path, patterns, url_patterns)
        # A rejected match is skipped whole, as a global regex scan would skip it.
        floor = end
    return spans


def _dotted_runs(text: str, url_patterns: _UrlPatterns) -> list[int]:
    """Starts of the maximal runs of label characters that end at a dot, ascending.

    Found in the reversed text, where each is a dot followed by a run: there a single linear
    scan finds them, jumping from dot to dot, where forwards every position of a long run of
    letters would have to be tried and the run read to its end.
    """
    length = len(text)
    starts = [length - match.end() for match in url_patterns.reversed_run.finditer(text[::-1])]
    starts.reverse()
    return starts


def _next_host(
    text: str, floor: int, runs: list[int], patterns: _Patterns, url_patterns: _UrlPatterns,
    reach: dict[int, int | None],
) -> tuple[int, _Host] | None:
    """The leftmost place at or after ``floor`` where the URL grammar matches a host.

    This finds what a global regex scan would, without its cost.  A host holds a dot and its
    first label is a run of label characters ending at that dot, so only such runs are examined
    (``runs`` holds their starts).  Within a run every start yields the same host, except that a
    start before an underscore cannot begin a lone name label; so at most three starts per run
    are tried, and long unspaced CJK text stays linear where a plain regex search is quadratic.
    """
    for run_start in _runs_from(text, floor, runs, patterns, url_patterns):
        scheme_start = _scheme_start(text, run_start)
        if scheme_start is not None and _may_start_at(text, scheme_start, floor):
            host = _match_host(text, scheme_start, url_patterns, reach)
            if host:
                return scheme_start, host
        run_end = _run_end(text, run_start, url_patterns)
        for start in _bare_starts(text, run_start, run_end, floor, patterns):
            host = _match_host(text, start, url_patterns, reach)
            if host:
                return start, host
    return None


def _runs_from(
    text: str, floor: int, runs: list[int], patterns: _Patterns, url_patterns: _UrlPatterns
) -> Iterator[int]:
    """Starts of the dotted label runs at or after ``floor``.

    A run cut by ``floor`` (the previous URL ended inside it) counts from ``floor``.
    """
    if 0 < floor < len(text) and patterns.label_char.match(text, floor - 1):
        run_end = _run_end(text, floor, url_patterns)
        if floor < run_end < len(text) and text[run_end] == ".":
            yield floor
    yield from islice(runs, bisect_left(runs, floor), None)


def _run_end(text: str, start: int, url_patterns: _UrlPatterns) -> int:
    """End of the run of label characters starting at ``start`` (``start`` if there is none)."""
    run = url_patterns.label_run.match(text, start)
    return run.end() if run else start


def _scheme_start(text: str, host_start: int) -> int | None:
    """Where an "http://" or "https://" (any case) ending at ``host_start`` begins, if any."""
    if host_start < len("http://") or text[host_start - 3 : host_start] != "://":
        return None
    for scheme in ("https://", "http://"):
        start = host_start - len(scheme)
        if start >= 0 and text[start:host_start].lower() == scheme:
            return start
    return None


def _may_start_at(text: str, start: int, floor: int) -> bool:
    """Whether a URL may begin at ``start``: the character before it (at or after ``floor``,
    the end of the previous match) must not glue it to a word, mention or tag."""
    if start == 0:
        return floor == 0
    return start > floor and text[start - 1] not in _NOT_BEFORE_URL_SET


def _bare_starts(
    text: str, run_start: int, run_end: int, floor: int, patterns: _Patterns
) -> list[int]:
    """Starts worth trying for a scheme-less host in one label run, in scan order.

    A regex scan orders its attempts by the character *before* the URL, so a start at index 1
    (after the character at 0) comes before the start at index 0 (after the text's beginning).
    """
    starts: list[int] = []
    first = _first_startable(text, max(run_start, floor + 1, 1), run_end, patterns)
    if first is not None:
        starts.append(first)
    underscore = text.rfind("_", run_start, run_end)
    if underscore >= 0 and (first is None or first <= underscore):
        after = _first_startable(text, max(underscore + 1, floor + 1), run_end, patterns)
        if after is not None:
            starts.append(after)
    if run_start == 0 and floor == 0 and text[0] not in "-_":
        starts.insert(1 if starts and starts[0] == 1 else 0, 0)
    return starts


def _first_startable(text: str, lower: int, end: int, patterns: _Patterns) -> int | None:
    """First index in ``[lower, end)`` of a domain character after an allowed character."""
    match = patterns.startable.search(text, lower, end)
    return match.start() if match else None


def _trim(text: str, lower: int, end: int, ending: re.Pattern[str]) -> int:
    """Back ``end`` up (not below ``lower``) to just after a character matching ``ending``.

    A path or a query may hold ".", "," or "!", but may not end with one: "see
    example.com/path." links to "/path".
    """
    while end > lower and not ending.match(text, end - 1):
        end -= 1
    return end


def _url_tail_end(
    text: str, end: int, patterns: _Patterns, url_patterns: _UrlPatterns
) -> tuple[int, bool]:
    """Extend a URL from the end of its host (and port) over a path and a query string.

    Returns the new end and whether there was a path: a scheme-less URL keeps what follows its
    host only when it has a path.  A query counts only right after an untrimmed path.
    """
    if end == len(text) or text[end] not in "/?":
        return end, False
    has_path = False
    path = url_patterns.path.match(text, end)
    if path:
        has_path = True
        path_end = _trim(text, end + 1, path.end(), patterns.path_end)
        if path_end < path.end():
            return path_end, has_path
        end = path_end
    query = url_patterns.query.match(text, end)
    if query:
        query_end = _trim(text, end + 1, query.end(), patterns.query_end)
        if query_end > end + 1:
            end = query_end
    return end, has_path


def _accepted(
    text: str,
    start: int,
    end: int,
    host: _Host,
    has_path: bool,
    patterns: _Patterns,
    url_patterns: _UrlPatterns,
) -> list[tuple[int, int]]:
    """The URL spans one grammar match yields once twitter-text's checks are applied."""
    scheme = host.scheme
    budget = _MAX_URL_LENGTH - len(scheme or _DEFAULT_SCHEME)
    # (a code point is at most two UTF-16 units: measure only when it could matter)
    if 2 * (end - start) > budget and _utf16_len(text[start:end]) > budget:
        return []
    domain = text[host.domain_start : host.domain_end]
    if not _host_is_valid(domain, patterns, url_patterns):
        return []
    if scheme:
        return _tco_trimmed(text, start, end, url_patterns)
    if start > 0 and text[start - 1] in "-_./":
        # "foo-example.com", "_x.com" or "/t.co": a fragment of something else.
        return []
    return _ascii_hosts(host.domain_start, domain, end, has_path, url_patterns)


def _host_is_valid(domain: str, patterns: _Patterns, url_patterns: _UrlPatterns) -> bool:
    """Whether every label of ``domain`` is a DNS label of 1..63 characters once punycoded.

    A host that claims to be punycode already ("xn--...") must hold an ASCII domain name.
    """
    if domain.startswith("xn--"):
        if next(_ascii_domains(domain, url_patterns), None) is None:
            return False
    elif len(domain) <= _MAX_LABEL_LENGTH and domain.isascii():
        return True  # the grammar allows no empty label
    for label in domain.split("."):
        # Punycode never shortens a label, so a long one fails before any encoding.
        if not 0 < len(label) <= _MAX_LABEL_LENGTH:
            return False
        if not label.isascii() and _punycode_length(label, patterns) > _MAX_LABEL_LENGTH:
            return False
    return True


def _punycode_length(label: str, patterns: _Patterns) -> int:
    """Length of ``label`` in ASCII (IDNA) form; ideographic full stops split it further."""
    parts = patterns.idn_dots.split(label)
    length = len(parts) - 1
    for part in parts:
        if part.isascii():
            length += len(part)
            continue
        try:
            length += len("xn--") + len(part.encode("punycode"))
        except UnicodeError:
            return _MAX_LABEL_LENGTH + 1
    return length


def _tco_trimmed(
    text: str, start: int, end: int, url_patterns: _UrlPatterns
) -> list[tuple[int, int]]:
    """A t.co link ends after its slug and query: "http://t.co/abc's" links to "/abc".

    A slug longer than t.co ever issues means the text is no link at all.
    """
    tco = url_patterns.tco.match(text, start, end)
    if tco is None:
        return [(start, end)]
    if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
        return []
    return [(start, tco.end())]


def _ascii_hosts(
    host_start: int, domain: str, end: int, has_path: bool, url_patterns: _UrlPatterns
) -> list[tuple[int, int]]:
    """Scheme-less URLs: the ASCII (and Latin-accented) domain names inside the host matched.

    The host grammar takes any letters, so "これは日本語です。example.com" matches as one host; only
    its ASCII domain names are links.  The last keeps the port, path and query if it has a path.
    """
    spans = [(host_start + start, host_start + end) for start, end in _ascii_domains(domain, url_patterns)]
    if spans and has_path:
        spans[-1] = (spans[-1][0], end)
    return spans


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit twitter-text measures ranges in."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


# --- weighing -----------------------------------------------------------------------------------


def parse_tweet(text: str) -> TweetLength:
    """Weigh ``text`` as X does (twitter-text v3: URLs 23 units, an emoji 2 units)."""
    if not text:  # the general case's answer without compiling its expressions: start-up weighs a blank draft
        return TweetLength(weighted_length=0, valid=False, permillage=0, display_range=(0, 0), valid_range=(0, 0), overflow_index=None)
    patterns = _patterns()
    if unicodedata.is_normalized("NFC", text):
        normalized = text
    else:
        normalized = unicodedata.normalize("NFC", text)
    entities = _entities(normalized, patterns)
    total = 0
    position = 0
    for start, end, weight in entities:
        total += _plain_weight(normalized[position:start], patterns) + weight
        position = end
    total += _plain_weight(normalized[position:], patterns)

    invalid = patterns.invalid.search(normalized)
    first_invalid = invalid.start() if invalid else None
    if total <= _LIMIT and first_invalid is None:
        last_valid: int | None = len(normalized) - 1 if normalized else None
        overflow: int | None = None
    else:
        last_valid, overflow = _fit(normalized, entities, first_invalid, patterns)

    length16 = _utf16_len(text)
    # Like twitter-text, shift the end by what normalisation removed (an approximation it
    # makes), even when nothing is valid and the end stays at its initial 0.
    valid_end = length16 - _utf16_len(normalized)
    if last_valid is not None:
        valid_end += _utf16_len(normalized[: last_valid + 1]) - 1
    if overflow is not None and normalized is not text:
        overflow = _original_index(text, overflow)

    weighted_length = total // _SCALE
    return TweetLength(
        weighted_length=weighted_length,
        valid=first_invalid is None and 0 < weighted_length <= MAX_WEIGHTED_LENGTH,
        # the same floating-point expression as twitter-text, so that rounding agrees
        permillage=math.floor(weighted_length / MAX_WEIGHTED_LENGTH * 1000),
        display_range=(0, max(length16 - 1, 0)),
        valid_range=(0, valid_end),
        overflow_index=overflow,
    )


def _entities(text: str, patterns: _Patterns) -> list[tuple[int, int, int]]:
    """URLs and emoji as ``(start, end, weight)``, in text order, never overlapping.

    Counting walks the text and swallows a whole entity where one starts; a URL wins over an
    emoji starting at the same place, and one starting inside an entity already swallowed is
    ignored.
    """
    found = [(start, 0, end, _URL_WEIGHT) for start, end in extract_urls(text)]
    if not text.isascii():
        found += [(m.start(), 1, m.end(), _EMOJI_WEIGHT) for m in patterns.emoji.finditer(text)]
        found.sort()
    entities: list[tuple[int, int, int]] = []
    swallowed = 0
    for start, _kind, end, weight in found:
        if start >= swallowed:
            entities.append((start, end, weight))
            swallowed = end
    return entities


def _plain_weight(segment: str, patterns: _Patterns) -> int:
    """Weight, in hundredths, of text holding no URL or emoji."""
    weight = _LIGHT_WEIGHT * len(segment)
    if not segment.isascii():
        heavy = sum(map(len, patterns.heavy_run.findall(segment)))
        weight += (_DEFAULT_WEIGHT - _LIGHT_WEIGHT) * heavy
    return weight


def _units(
    text: str, entities: list[tuple[int, int, int]], patterns: _Patterns
) -> Iterator[tuple[int, int, int]]:
    """The counting units ``(start, end, weight)``: each entity, and each other code point."""
    position = 0
    for entity in (*entities, (len(text), len(text), 0)):
        for index in range(position, entity[0]):
            char = text[index]
            heavy = char > "\u10ff" and patterns.heavy_run.match(char)
            yield index, index + 1, _DEFAULT_WEIGHT if heavy else _LIGHT_WEIGHT
        if entity[0] < entity[1]:
            yield entity
        position = entity[1]


def _fit(
    text: str,
    entities: list[tuple[int, int, int]],
    first_invalid: int | None,
    patterns: _Patterns,
) -> tuple[int | None, int | None]:
    """Walk the units to find what fits.

    Returns the index of the last code point of the last unit within the limit and before any
    invalid character (``None`` if there is none), and the start of the first unit over the
    limit (``None`` if all fit).  A unit weighs at least 100, so the walk ends within about 281
    units however long the text.
    """
    total = 0
    last_valid: int | None = None
    for start, end, weight in _units(text, entities, patterns):
        total += weight
        if total > _LIMIT:
            return last_valid, start
        if first_invalid is None or start < first_invalid:
            last_valid = end - 1
    return last_valid, None


def _original_index(original: str, normalized_index: int) -> int:
    """Map an index into ``NFC(original)`` back to an index into ``original``.

    The text is cut into pieces that normalise independently: a cut goes before a character
    that is not a combining mark and does not compose with the piece so far (Hangul jamo and a
    few vowel signs compose without being marks).  An index maps to its piece; within a piece
    that normalisation left alone it maps by offset, and within one it changed (composed,
    reordered, decomposed) to the piece's start, since the cluster is one thing to the reader and
    its parts no longer line up.  Used only when the text was not NFC already.
    """
    piece_start = 0
    normalized_start = 0
    length = len(original)
    for cut in range(1, length + 1):
        if cut < length and not _starts_new_piece(original[piece_start:cut], original[cut]):
            continue
        source = original[piece_start:cut]
        piece = unicodedata.normalize("NFC", source)
        if normalized_start + len(piece) > normalized_index:
            if piece == source:
                return piece_start + normalized_index - normalized_start
            return piece_start
        normalized_start += len(piece)
        piece_start = cut
    return length


def _starts_new_piece(piece: str, char: str) -> bool:
    """Whether NFC can treat ``piece`` and a following ``char`` independently."""
    if unicodedata.combining(char):
        return False
    nfc = unicodedata.normalize
    return nfc("NFC", piece + char) == nfc("NFC", piece) + nfc("NFC", char)
