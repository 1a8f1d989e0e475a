"""One socialize.publishUserAction call held as data.

The form edits a :class:`PublishCall`; the wire parameters, the draft file, the previews and the
validation problems are all derived from it.  Values are kept as the user typed them (strings),
so that a bad value can be shown and explained instead of being lost on load.
"""

from __future__ import annotations

import copy
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from composer.core.contract import CREDENTIAL_PARAMS, PROVIDERS

#: Media item fields by type, in wire order ("flash" also carries video).
MEDIA_FIELDS: dict[str, tuple[str, ...]] = {
    "image": ("src", "href"),
    "flash": ("src", "previewImageURL", "previewImageWidth", "previewImageHeight", "width", "height"),
    "mp3": ("src", "title", "artist", "album"),
}

#: shortURLs values, the service's default first (seed document: "always" when not given)
SHORT_URLS: tuple[str, ...] = ("always", "whenRequired", "never")
FORMATS: tuple[str, ...] = ("json", "jsonp")

#: UserAction text fields in wire order.
TEXT_FIELDS: tuple[str, ...] = ("userMessage", "title", "linkBack", "subtitle", "description")
#: the fields of a UserAction a network's override inherits from the default one by one
CONTENT_FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "actionLinks", "mediaItems")

CID_MAX = 100
ACTION_ATTRIBUTE_VALUES_MAX = 3
#: userLocation's coordinates, each with how far from zero it may go either way
COORDINATE_LIMITS: dict[str, int] = {"latitude": 90, "longitude": 180}


def override_param(provider: str) -> str:
    """The wire name of a provider's override, e.g. ``twitterUserAction``."""
    return f"{provider}UserAction"


class ModelError(ValueError):
    """A value that cannot be held by the model at all (wrong JSON type, unparsable JSON string).

    ``field`` is the parameter path, e.g. ``userAction.mediaItems[0]``.
    """

    def __init__(self, field_path: str, message: str):
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


# --- JSON text ------------------------------------------------------------------------------
# A draft file, an autosave and every JSON-valued parameter given as a JSON string are read by
# parse_json, so the same limits hold however a value arrives.

#: Our choice: how many objects and lists may sit inside one another.  The call itself needs four
#: levels (the draft, userAction, mediaItems, one item); keys the model does not know are kept and
#: sent on, and get ample room.  Copying and writing the model recurse once per level or more, so
#: the limit stays far below Python's recursion limit (1000) wherever the model is used.
MAX_JSON_DEPTH = 32

#: The largest magnitude a number may have: a double's.  RFC 7493 (I-JSON) section 2.2: a number
#: beyond a double's range is not interoperable, and the model reads coordinates as doubles.  Python
#: would read ``1e400`` as infinity (sent as ``Infinity``, which is not JSON) and refuses integers
#: of more than 4300 digits with a ValueError of its own.
LARGEST_NUMBER = sys.float_info.max
#: the digits of the largest integer within LARGEST_NUMBER: a longer one is refused unread, as
#: converting a long digit string takes time that grows with the square of its length
_INTEGER_DIGITS_MAX = len(str(int(LARGEST_NUMBER)))

# after decoding, a proper surrogate pair is one character: a surrogate left over stood alone
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JSONTextError(ValueError):
    """JSON text that cannot be read, or that goes past a limit.  The message is the rest of a
    sentence whose subject is what was read: "userAction is not valid JSON (...)"."""


def parse_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The value of JSON ``text`` within the limits above, or :class:`JSONTextError`.

    Also refused: ``NaN`` and ``Infinity`` (Python reads them; JSON has no such numbers, RFC 8259
    section 6), and lone UTF-16 surrogates (``"\\ud800"``: not a character, so neither saved nor
    sent as UTF-8).
    """
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_finite, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise JSONTextError(f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:  # the decoder recurses once per level: far deeper than max_depth
        raise JSONTextError(_too_deep(max_depth)) from None
    _check_nesting_and_text(value, max_depth)
    return value


def _too_deep(max_depth: int) -> str:
    return f"is nested too deeply (more than {max_depth} levels of objects and lists)"


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > _INTEGER_DIGITS_MAX:
        raise JSONTextError(_too_large(digits))
    number = int(digits)
    if abs(number) > LARGEST_NUMBER:
        raise JSONTextError(_too_large(digits))
    return number


def _finite(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise JSONTextError(_too_large(literal))
    return number


def _too_large(literal: str) -> str:
    shown = literal if len(literal) <= 24 else f"{literal[:20]}…, {len(literal):,} characters"
    return f"holds a number beyond the range of a double ({shown})"


def _not_a_number(name: str) -> Any:
    raise JSONTextError(f"is not valid JSON ({name} is not a JSON number)")


def _check_nesting_and_text(value: Any, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` and lone surrogates, walking without recursion."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                raise JSONTextError("contains a lone UTF-16 surrogate (such as the escape \\ud800), which is not a character")
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise JSONTextError(_too_deep(max_depth))
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                pending.extend((child, depth + 1) for child in item.values())
            else:
                pending.extend((child, depth + 1) for child in item)


def _text(value: Any, path: str) -> str:
    """A scalar as the string the wire carries; numbers are accepted and kept as their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return value
    raise ModelError(path, f"expected text, got {json_kind(value)}")


def json_kind(value: Any) -> str:
    """What kind of JSON value ``value`` is, for a message such as "expected text, got a list"."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "text"


def _json_value(value: Any, path: str, expected: type) -> Any:
    """A JSON-valued parameter given either as a JSON object/list or as a JSON string."""
    if isinstance(value, str):
        if not value.strip():
            return expected()
        try:
            # the parameter sits on a draft's second level: it must fit there once the draft is saved
            value = parse_json(value, max_depth=MAX_JSON_DEPTH - 1)
        except JSONTextError as exc:
            raise ModelError(path, str(exc)) from None
    if value is None:
        return expected()
    if not isinstance(value, expected):
        want = "an object" if expected is dict else "a list"
        raise ModelError(path, f"expected {want}, got {json_kind(value)}")
    return value


def _name_list(value: Any, path: str) -> list[str]:
    """A provider or tag list given as a comma string or a JSON list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise ModelError(f"{path}[{i}]", f"expected text, got {json_kind(item)}")
            if item.strip():
                out.append(item.strip())
        return out
    raise ModelError(path, f"expected a comma-separated text or a list, got {json_kind(value)}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class ActionLink:
    """A link under the post (Gigya's ``actionLinks``): its text and where it goes."""

    title: str = ""
    href: str = ""

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in (("title", self.title), ("href", self.href)) if v}

    @classmethod
    def from_json(cls, data: Any, path: str) -> ActionLink:
        if not isinstance(data, dict):
            raise ModelError(path, f"expected an object with title and href, got {json_kind(data)}")
        return cls(title=_text(data.get("title"), f"{path}.title"), href=_text(data.get("href"), f"{path}.href"))

    def is_empty(self) -> bool:
        return not (self.title or self.href)


@dataclass
class MediaItem:
    """One media item.  ``values`` holds every field by its wire name, including ones that do not
    belong to ``type`` (they are kept so nothing typed is lost, and validation reports them)."""

    type: str = "image"
    values: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def set(self, name: str, value: str) -> None:
        if value:
            self.values[name] = value
        else:
            self.values.pop(name, None)

    def to_json(self) -> dict[str, str]:
        known = MEDIA_FIELDS.get(self.type, ())
        ordered = [k for k in known if self.values.get(k)]
        ordered += sorted(k for k, v in self.values.items() if v and k not in known)
        out = {k: self.values[k] for k in ordered}
        if self.type:
            out["type"] = self.type
        return out

    @classmethod
    def from_json(cls, data: Any, path: str) -> MediaItem:
        if not isinstance(data, dict):
            raise ModelError(path, f"expected an object, got {json_kind(data)}")
        values = {}
        for key, value in data.items():
            if key == "type":
                continue
            values[key] = _text(value, f"{path}.{key}")
        return cls(type=_text(data.get("type"), f"{path}.type"), values=values)

    def is_empty(self) -> bool:
        return not any(self.values.values())


@dataclass
class UserAction:
    """What a share shows: the user's message, the link card's title, link, subtitle and description,
    the action links and the media items (all of one type)."""

    userMessage: str = ""
    title: str = ""
    linkBack: str = ""
    subtitle: str = ""
    description: str = ""
    actionLinks: list[ActionLink] = field(default_factory=list)
    mediaItems: list[MediaItem] = field(default_factory=list)
    #: keys the UserAction JSON carried that this model does not know; sent on unchanged
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The UserAction JSON with empty values removed, keys in the reference's order."""
        out: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if value:
                out[name] = value
        links = [link.to_json() for link in self.actionLinks if not link.is_empty()]
        if links:
            out["actionLinks"] = links
        media = [item.to_json() for item in self.mediaItems if not item.is_empty()]
        if media:
            out["mediaItems"] = media
        for key in sorted(self.extra):
            if self.extra[key] not in (None, "", [], {}):
                out[key] = self.extra[key]
        return out

    @classmethod
    def from_json(cls, data: Any, path: str = "userAction") -> UserAction:
        data = _json_value(data, path, dict)
        ua = cls()
        for key, value in data.items():
            if key in TEXT_FIELDS:
                setattr(ua, key, _text(value, f"{path}.{key}"))
            elif key == "actionLinks":
                items = _json_value(value, f"{path}.actionLinks", list)
                ua.actionLinks = [ActionLink.from_json(x, f"{path}.actionLinks[{i}]") for i, x in enumerate(items)]
            elif key == "mediaItems":
                items = _json_value(value, f"{path}.mediaItems", list)
                ua.mediaItems = [MediaItem.from_json(x, f"{path}.mediaItems[{i}]") for i, x in enumerate(items)]
            else:
                ua.extra[key] = value
        return ua

    def is_empty(self) -> bool:
        return not self.to_json()

    def copy(self) -> UserAction:
        return copy.deepcopy(self)


@dataclass
class UserLocation:
    """Kept as typed text so an out-of-range or non-numeric value can be reported, not lost."""

    latitude: str = ""
    longitude: str = ""
    placeID: str = ""

    def is_empty(self) -> bool:
        return not (self.latitude or self.longitude or self.placeID)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("latitude", "longitude"):
            raw = getattr(self, name).strip()
            if raw:
                out[name] = _number_or_text(raw)
        if self.placeID:
            out["placeID"] = self.placeID
        return out

    @classmethod
    def from_json(cls, data: Any, path: str = "userLocation") -> UserLocation:
        data = _json_value(data, path, dict)
        return cls(
            latitude=_text(data.get("latitude"), f"{path}.latitude"),
            longitude=_text(data.get("longitude"), f"{path}.longitude"),
            placeID=_text(data.get("placeID"), f"{path}.placeID"),
        )


def _number_or_text(raw: str) -> Any:
    number = parse_float(raw)
    if number is None:
        return raw
    return int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number


def convert_media(items: list[MediaItem], kind: str) -> tuple[list[MediaItem], list[str]]:
    """``items`` as media of type ``kind``, and the names of the filled-in fields that type has no
    place for (they would be lost: the caller keeps them or asks first)."""
    fields = MEDIA_FIELDS.get(kind, ())
    converted, dropped = [], []
    for item in items:
        kept = {name: value for name, value in item.values.items() if name in fields}
        dropped += [name for name, value in item.values.items() if value and name not in fields]
        converted.append(MediaItem(type=kind, values=kept))
    return converted, sorted(set(dropped))


def parse_float(raw: str) -> float | None:
    """A finite float from typed text, or None."""
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


#: The call's parameters in the order they are written to drafts and to the wire.
CALL_PARAMS: tuple[str, ...] = (
    "UID",
    "userAction",
    *(override_param(p) for p in PROVIDERS),
    "enabledProviders",
    "disabledProviders",
    "shortURLs",
    "tags",
    "cid",
    "actionAttributes",
    "userLocation",
    "format",
    "callback",
    "httpStatusCodes",
)


@dataclass
class PublishCall:
    """Everything one ``socialize.publishUserAction`` call takes: the UID, the default UserAction,
    the per-network overrides and the call's options."""

    UID: str = ""
    userAction: UserAction = field(default_factory=UserAction)
    #: provider -> full UserAction sent to that provider instead of ``userAction``
    overrides: dict[str, UserAction] = field(default_factory=dict)
    #: provider -> the fields of its override still linked to the default: they follow every
    #: change of the default until edited in the override (``follow_default``).  Not a parameter:
    #: drafts do not hold it, and a loaded override links the fields equal to the default's.
    inherited: dict[str, set[str]] = field(default_factory=dict, compare=False)
    #: None means "not sent" (all connected providers)
    enabledProviders: list[str] | None = None
    disabledProviders: list[str] = field(default_factory=list)
    shortURLs: str = ""
    tags: list[str] = field(default_factory=list)
    cid: str = ""
    actionAttributes: dict[str, Any] = field(default_factory=dict)
    userLocation: UserLocation = field(default_factory=UserLocation)
    format: str = "json"
    callback: str = ""
    httpStatusCodes: bool | None = None
    #: draft keys that are not parameters of this call; kept and reported as warnings
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> PublishCall:
        # deepcopy recurses per level of the unknown keys' values; parse_json bounds those levels
        return copy.deepcopy(self)

    def content_for(self, provider: str) -> UserAction:
        """What ``provider`` receives: its override when there is one, else the default."""
        override = self.overrides.get(provider)
        # an empty override is not sent (to_params drops it), so the provider gets the default
        return override if override is not None and not override.is_empty() else self.userAction

    # --- overrides that inherit -------------------------------------------------------------

    def customize(self, provider: str) -> None:
        """Give ``provider`` its own content, every field linked to the default until edited."""
        self.overrides[provider] = self.userAction.copy()
        self.inherited[provider] = set(CONTENT_FIELDS)

    def set_own(self, provider: str, name: str) -> None:
        """Field ``name`` of ``provider``'s override was edited: it no longer follows the default."""
        self.inherited.get(provider, set()).discard(name)

    def inherit(self, provider: str, name: str) -> None:
        """Link field ``name`` of ``provider``'s override to the default again (its value too)."""
        if provider in self.overrides:
            self.inherited.setdefault(provider, set()).add(name)
            self.follow_default()

    def drop_override(self, provider: str) -> None:
        self.overrides.pop(provider, None)
        self.inherited.pop(provider, None)

    def follow_default(self) -> None:
        """Copy each linked field of the default into the overrides that inherit it."""
        for provider, names in self.inherited.items():
            override = self.overrides.get(provider)
            if override is None:
                continue
            for name in names:
                value = getattr(self.userAction, name)
                if getattr(override, name) != value:
                    setattr(override, name, copy.deepcopy(value))

    def link_equal_fields(self) -> None:
        """Link each override's fields that equal the default's (a draft just read)."""
        self.inherited = {
            provider: {name for name in CONTENT_FIELDS if getattr(override, name) == getattr(self.userAction, name)}
            for provider, override in self.overrides.items()
        }

    # --- wire -------------------------------------------------------------------------------

    def to_params(self) -> dict[str, str]:
        """The method's own wire parameters (no credentials), every value a string, each JSON value
        serialized exactly once, empty values left out, in :data:`CALL_PARAMS` order."""
        out: dict[str, str] = {}
        if self.UID:
            out["UID"] = self.UID
        ua = self.userAction.to_json()
        if ua:
            out["userAction"] = _dump(ua)
        for provider in PROVIDERS:
            override = self.overrides.get(provider)
            if override is not None and not override.is_empty():
                out[override_param(provider)] = _dump(override.to_json())
        if self.enabledProviders:
            out["enabledProviders"] = ",".join(self.enabledProviders)
        if self.disabledProviders:
            out["disabledProviders"] = ",".join(self.disabledProviders)
        if self.shortURLs:
            out["shortURLs"] = self.shortURLs
        if self.tags:
            out["tags"] = ",".join(self.tags)
        if self.cid:
            out["cid"] = self.cid
        attributes = _clean_attributes(self.actionAttributes)
        if attributes:
            out["actionAttributes"] = _dump(attributes)
        location = self.userLocation.to_json()
        if location:
            out["userLocation"] = _dump(location)
        out["format"] = self.format or "json"
        if self.callback:
            out["callback"] = self.callback
        if self.httpStatusCodes is not None:
            out["httpStatusCodes"] = "true" if self.httpStatusCodes else "false"
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PublishCall:
        """Build a call from wire parameters or a draft object.  JSON-valued parameters may be JSON
        strings or already-parsed objects.  Raises :class:`ModelError` for a value the model cannot
        hold; keys that are not parameters go to ``extra``."""
        call = cls()
        for key, value in params.items():
            if key == "UID":
                call.UID = _text(value, key)
            elif key == "userAction":
                call.userAction = UserAction.from_json(value, key)
            elif key.endswith("UserAction") and key[: -len("UserAction")] in PROVIDERS:
                call.overrides[key[: -len("UserAction")]] = UserAction.from_json(value, key)
            elif key == "enabledProviders":
                call.enabledProviders = _name_list(value, key) or None
            elif key == "disabledProviders":
                call.disabledProviders = _name_list(value, key)
            elif key == "tags":
                call.tags = _name_list(value, key)
            elif key in ("shortURLs", "cid", "format", "callback"):
                setattr(call, key, _text(value, key))
            elif key == "actionAttributes":
                call.actionAttributes = _json_value(value, key, dict)
            elif key == "userLocation":
                call.userLocation = UserLocation.from_json(value, key)
            elif key == "httpStatusCodes":
                call.httpStatusCodes = _parse_bool(value, key)
            else:
                call.extra[key] = value
        if not call.format:
            call.format = "json"
        call.link_equal_fields()
        return call

    # --- draft ------------------------------------------------------------------------------

    def to_draft(self) -> dict[str, Any]:
        """The draft object: parameter names as keys, JSON values as objects, lists as lists."""
        out: dict[str, Any] = {}
        if self.UID:
            out["UID"] = self.UID
        ua = self.userAction.to_json()
        if ua:
            out["userAction"] = ua
        for provider in PROVIDERS:
            override = self.overrides.get(provider)
            if override is not None:
                out[override_param(provider)] = override.to_json()
        if self.enabledProviders:
            out["enabledProviders"] = list(self.enabledProviders)
        if self.disabledProviders:
            out["disabledProviders"] = list(self.disabledProviders)
        if self.shortURLs:
            out["shortURLs"] = self.shortURLs
        if self.tags:
            out["tags"] = list(self.tags)
        if self.cid:
            out["cid"] = self.cid
        attributes = _clean_attributes(self.actionAttributes)
        if attributes:
            out["actionAttributes"] = attributes
        location = self.userLocation.to_json()
        if location:
            out["userLocation"] = location
        if self.format and self.format != "json":
            out["format"] = self.format
        if self.callback:
            out["callback"] = self.callback
        if self.httpStatusCodes is not None:
            out["httpStatusCodes"] = self.httpStatusCodes
        for key, value in self.extra.items():
            if key not in CREDENTIAL_PARAMS:
                out[key] = value
        return out


def _parse_bool(value: Any, path: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ModelError(path, f"expected true or false, got {value!r}")


def _clean_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if not key:
            continue
        if isinstance(value, list):
            values = [v for v in value if v not in (None, "")]
            if values:
                out[key] = values
        elif value not in (None, ""):
            out[key] = value
    return out


def attribute_value_count(attributes: Mapping[str, Any]) -> int:
    """How many values actionAttributes carries in all (a list counts each of its items)."""
    count = 0
    for value in _clean_attributes(attributes).values():
        count += len(value) if isinstance(value, list) else 1
    return count


def iter_user_actions(call: PublishCall) -> Iterable[tuple[str, UserAction]]:
    """Every UserAction in the call with its parameter name: the default, then each override."""
    yield "userAction", call.userAction
    for provider in PROVIDERS:
        override = call.overrides.get(provider)
        if override is not None:
            yield override_param(provider), override


def eligible_providers(enabled: Sequence[str] | None, disabled: Sequence[str], among: Iterable[str] = PROVIDERS) -> list[str]:
    """The providers of ``among`` that enabledProviders and disabledProviders allow, in the order of
    ``among``: by default the known ones (the server then tries those the user is connected to);
    the sandbox passes a user's connections."""
    enabled_set = {p.lower() for p in enabled} if enabled else None
    disabled_set = {p.lower() for p in disabled}
    return [p for p in among if (enabled_set is None or p in enabled_set) and p not in disabled_set]
