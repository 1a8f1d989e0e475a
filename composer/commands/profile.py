"""List, add, edit, remove and test credential profiles.

A profile's non-secret fields are kept in profiles.json in the config folder; its secret is kept in
the OS keyring (service 'composer', account = the profile's name) and nowhere else.  The secret is
read from a hidden prompt, or from one line of standard input with --secret-stdin; never from an
argument.  With no usable keyring the secret is kept for this command only, and the command says so.
The built-in Sandbox profile needs no set-up and cannot be changed.

'test NAME' proves the secret can be read and that the server accepts the credentials, without
publishing anything: it sends socialize.publishUserAction with no UID and no userAction.  The
server checks authorization before the parameters, so "400002 Missing required parameter" means
the credentials were accepted (and nothing could be published); an authorization error (400093,
403003, 403005, 403002, 301001, ...) means they were refused.

Exit codes: 0 ok; 1 a failure the command reports (test refused, keyring or file problem); 2 bad
usage or an unknown profile.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from composer.commands import seconds
from composer.core.accounts.check import check_credentials
from composer.core.accounts.credentials import CredentialStore, SecretResult
from composer.core.accounts.profiles import LEGACY_NOTE, Profile, ProfileError, ProfileStore, builtin_refusal, check_profile, unknown_profile_message
from composer.core.contract import (
    CODE_EXPIRED,
    CODE_INVALID_API_KEY,
    CODE_INVALID_SIGNATURE,
    CODE_MISSING_PARAMETER,
    CODE_UNAUTHORIZED_USER,
    CODE_WRONG_DATA_CENTER,
    DATA_CENTERS,
    DEFAULT_DATA_CENTER,
    ERROR_MESSAGES,
)
from composer.core.wire.endpoint import AuthMode
from composer.core.wire.signing import secret_looks_valid

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_TEST_HELP = (
    "check that the secret can be read and that the server accepts the credentials, publishing "
    "nothing: it calls publishUserAction with no UID and no userAction; the server checks "
    f"authorization first, so '{CODE_MISSING_PARAMETER} {ERROR_MESSAGES[CODE_MISSING_PARAMETER]}' proves the "
    f"credentials were accepted, and an authorization error ({CODE_INVALID_API_KEY}, {CODE_INVALID_SIGNATURE}, "
    f"{CODE_UNAUTHORIZED_USER}, {CODE_EXPIRED}, {CODE_WRONG_DATA_CENTER}...) that they were refused"
)


# --- arguments ------------------------------------------------------------------------------------


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="list the profiles (the built-in Sandbox first) and where secrets are kept")
    listing.add_argument("--json", action="store_true", help="print one JSON object")

    add = sub.add_parser("add", help="add a profile; the secret is asked for (hidden) or read with --secret-stdin")
    add.add_argument("name", metavar="NAME")
    _endpoint_options(add)
    add.add_argument("--api-key", required=True, metavar="K", help="the site's API key")
    _key_options(add)
    add.add_argument("--secret-stdin", action="store_true", help="read the secret from one line of standard input")

    edit = sub.add_parser("edit", help="change a profile's fields or its secret; what is not given stays")
    edit.add_argument("name", metavar="NAME")
    _endpoint_options(edit)
    edit.add_argument("--api-key", metavar="K", help="the site's API key")
    _key_options(edit)
    edit.add_argument("--clear-approved-domains", action="store_true", help="forget the approved domains")
    secret = edit.add_mutually_exclusive_group()
    secret.add_argument("--new-secret", action="store_true", help="ask for a new secret (hidden prompt)")
    secret.add_argument("--secret-stdin", action="store_true", help="read the new secret from one line of standard input")

    remove = sub.add_parser("remove", help="remove a profile and delete its secret from the keyring")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument(
        "--force", action="store_true", help="remove the profile even when the keyring cannot delete the secret (you are told how to delete it yourself)"
    )

    test = sub.add_parser("test", help=_TEST_HELP, description=_TEST_HELP)
    test.add_argument("name", metavar="NAME")
    test.add_argument("--timeout", type=seconds, default=15.0, metavar="S", help="seconds to wait for the server (default 15)")


def _endpoint_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-center", metavar="DC", help=f"the data center, e.g. {', '.join(DATA_CENTERS[:4])} (default {DEFAULT_DATA_CENTER})")
    where.add_argument("--base-url", metavar="URL", help="a custom endpoint (staging, a sandbox); plain http only on loopback")


def _key_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user-key", metavar="U",
        help="the application (user) key; without one the legacy partner secret is used, which Gigya stopped accepting in 2023 ('' removes it)",
    )
    parser.add_argument("--auth", choices=("signed", "secret"), help="signed requests (default) or the secret over HTTPS")
    parser.add_argument(
        "--approved-domain", action="append", metavar="D", dest="approved_domains",
        help="a domain the site approves for shared links (repeat for more); links elsewhere get a warning",
    )


# --- running --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    store = ProfileStore()
    if store.recovered:
        _say(store.recovered, err=True)
    actions = {"list": _list, "add": _add, "edit": _edit, "remove": _remove, "test": _test}
    try:
        return actions[args.action](args, store)
    except ProfileError as exc:
        return _fail(str(exc), exc.exit_code)


def _say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def _fail(message: str, code: int) -> int:
    _say(f"composer profile: {message}", err=True)
    return code


def _credential_store() -> CredentialStore:
    return CredentialStore()


# -- list --


def _list(args: argparse.Namespace, store: ProfileStore) -> int:
    credentials = _credential_store()
    profiles = store.list()
    if args.json:
        status = credentials.status()
        document = {
            "profiles": [_profile_json(p) for p in profiles],
            "secrets": credentials.where(),
            "keyring": {"backend": status.backend, "usable": status.usable},
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = [("NAME", "ENDPOINT", "API KEY", "USER KEY", "AUTH")]
    for p in profiles:
        user_key = p.user_key or "(legacy partner secret)"
        rows.append((p.name + (" (built-in)" if p.builtin else ""), p.describe_endpoint(), p.api_key, user_key, p.auth.value))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    print()
    print(credentials.where())
    return EXIT_OK


def _profile_json(profile: Profile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "builtin": profile.builtin,
        "endpoint": profile.describe_endpoint(),
        "dataCenter": profile.data_center or None,
        "baseUrl": profile.base_url or None,
        "apiKey": profile.api_key,
        "userKey": profile.user_key or None,
        "auth": profile.auth.value,
        "approvedDomains": list(profile.approved_domains),
    }


# -- add / edit --


def _add(args: argparse.Namespace, store: ProfileStore) -> int:
    profile = Profile(
        name=args.name,
        data_center="" if args.base_url else (args.data_center or DEFAULT_DATA_CENTER),
        base_url=args.base_url or "",
        api_key=args.api_key,
        user_key=args.user_key or "",
        auth=AuthMode(args.auth or "signed"),
        approved_domains=list(args.approved_domains or []),
    )
    problems = check_profile(profile)
    if problems:
        return _fail("; ".join(problems), EXIT_USAGE)
    if store.get(args.name) is not None:
        return _fail(f"a profile named {args.name!r} already exists: change it with 'composer profile edit {args.name}'", EXIT_USAGE)
    secret = _read_secret(args.name, from_stdin=args.secret_stdin)
    if isinstance(secret, int):
        return secret
    saved = store.add(profile)
    print(f"Added profile {saved.name!r} ({saved.describe_endpoint()}).")
    _warn_profile(saved, secret)
    return _report_secret(_credential_store().set(saved.name, secret))


def _stored_profile(store: ProfileStore, name: str) -> Profile:
    """The profile called ``name``; raises ProfileError (exit 2) naming the known ones."""
    profile = store.get(name)
    if profile is None:
        raise ProfileError(unknown_profile_message(name, store.names()))
    return profile


def _edit(args: argparse.Namespace, store: ProfileStore) -> int:
    current = _stored_profile(store, args.name)
    if current.builtin:
        return _fail(builtin_refusal("changed; add a profile of your own"), EXIT_USAGE)
    changed = _apply(current, args)
    wants_secret = args.new_secret or args.secret_stdin
    if not changed and not wants_secret:
        return _fail("nothing to change: give at least one option (see 'composer profile edit --help')", EXIT_USAGE)
    problems = check_profile(current)
    if problems:
        return _fail("; ".join(problems), EXIT_USAGE)
    secret = _read_secret(current.name, from_stdin=args.secret_stdin) if wants_secret else None
    if isinstance(secret, int):
        return secret
    if changed:
        saved = store.update(current)
        print(f"Updated profile {saved.name!r} ({saved.describe_endpoint()}).")
        _warn_profile(saved, secret)
    if secret is None:
        return EXIT_OK
    return _report_secret(_credential_store().set(current.name, secret))


def _apply(profile: Profile, args: argparse.Namespace) -> bool:
    """Copy the options given onto ``profile``; True when something was given."""
    changed = False
    if args.data_center:
        profile.data_center, profile.base_url, changed = args.data_center, "", True
    if args.base_url:
        profile.data_center, profile.base_url, changed = "", args.base_url, True
    if args.api_key is not None:
        profile.api_key, changed = args.api_key, True
    if args.user_key is not None:
        profile.user_key, changed = args.user_key, True
    if args.auth:
        profile.auth, changed = AuthMode(args.auth), True
    if args.clear_approved_domains:
        profile.approved_domains, changed = [], True
    if args.approved_domains:
        base = [] if args.clear_approved_domains else profile.approved_domains
        profile.approved_domains, changed = [*base, *args.approved_domains], True
    return changed


def _warn_profile(profile: Profile, secret: str | None) -> None:
    if profile.legacy_partner_secret:
        _say(f"note: {LEGACY_NOTE}", err=True)
    if secret is not None and profile.auth is AuthMode.SIGNED and not secret_looks_valid(secret):
        _say("warning: the secret is not base64 text, so signed requests cannot be made with it; check that it was copied whole", err=True)


def _read_secret(name: str, *, from_stdin: bool) -> str | int:
    """The secret from one line of stdin or a hidden prompt; an exit code when there is none."""
    if from_stdin:
        secret = sys.stdin.readline().strip()
        if not secret:
            return _fail("--secret-stdin read no secret: pipe it in as one line", EXIT_USAGE)
        return secret
    if not _is_tty(sys.stdin):
        return _fail("standard input is not a terminal, so the secret cannot be asked for: pipe it in with --secret-stdin", EXIT_USAGE)
    secret = getpass.getpass(f"Secret for profile {name!r} (input hidden): ").strip()
    if not secret:
        return _fail("no secret was entered; nothing about the secret was changed", EXIT_USAGE)
    return secret


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _report_secret(result: SecretResult) -> int:
    if result.ok:
        print(result.message)
        return EXIT_OK
    _say(f"composer profile: {result.message}", err=True)
    if result.session_only:
        _say(
            "On the command line that means only until this command ends: to publish without a keyring, "
            "set GIGYA_API_KEY, GIGYA_USER_KEY and GIGYA_SECRET instead.",
            err=True,
        )
    return EXIT_FAILED


# -- remove --


def _remove(args: argparse.Namespace, store: ProfileStore) -> int:
    profile = _stored_profile(store, args.name)
    if profile.builtin:
        return _fail(builtin_refusal("removed"), EXIT_USAGE)
    deleted = _credential_store().delete(profile.name)
    if not deleted.ok and not args.force:
        return _fail(f"{deleted.message} The profile {profile.name!r} was kept; run again when the keyring works, or add --force.", EXIT_FAILED)
    store.remove(profile.name)
    print(f"Removed profile {profile.name!r}.")
    if deleted.ok:
        print(deleted.message)
        return EXIT_OK
    _say(f"composer profile: {deleted.message}", err=True)
    return EXIT_FAILED


# -- test --


def _test(args: argparse.Namespace, store: ProfileStore) -> int:
    if args.timeout <= 0:
        return _fail("--timeout must be a positive number of seconds", EXIT_USAGE)
    check = check_credentials(args.name, timeout=args.timeout, store=store, credential_store=_credential_store())
    for note in check.notes:
        _say(f"note: {note}", err=True)
    if check.ok:
        print(check.message)
        return EXIT_OK
    _say(check.message if check.message.startswith("Refused") else f"composer: {check.message}", err=True)
    if check.hint:
        _say(f"hint: {check.hint}", err=True)
    return check.exit_code
