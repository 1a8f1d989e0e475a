"""Validate a draft and publish it.  Credentials come from a profile (--profile) or from the
environment variables GIGYA_API_KEY, GIGYA_USER_KEY and GIGYA_SECRET, never from an argument;
with neither, the built-in sandbox is used.  With validation errors nothing is sent.

Exit codes: 0 every attempted provider posted; 3 some posted and some failed; 1 nothing was posted
or the call was refused; 4 the outcome is unknown (check the networks before sending again); 2 a bad
draft or bad usage."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from composer.commands import count, seconds
from composer.core import publishing
from composer.core.accounts.profiles import ProfileError
from composer.core.accounts.resolve import ENVIRONMENT_NAME, resolve
from composer.core.call.draft import DraftError, load_draft
from composer.core.call.validation import Severity, has_errors, validate
from composer.core.contract import CODE_SECRET_OVER_HTTP, DATA_CENTERS
from composer.core.wire.client import PreparedCall
from composer.core.wire.endpoint import DEFAULT_TIMEOUT
from composer.core.wire.signing import SignatureExplanation


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draft", nargs="?", help="the draft file (not needed with --retry-failed)")
    parser.add_argument("--profile", metavar="NAME", help="credential profile (see 'composer profile list')")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-center", metavar="DC", help=f"e.g. {', '.join(DATA_CENTERS[:4])}")
    where.add_argument("--base-url", metavar="URL", help="a custom endpoint (staging, a sandbox); http only on loopback")
    parser.add_argument("--auth", choices=("signed", "secret"), help="signed request (default) or the secret over HTTPS")
    parser.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="S",
        help=f"seconds each request may take, from connecting to the answer's last byte (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object: response, providers, outcome")
    parser.add_argument("--retry-failed", type=count, metavar="ID", help="publish history entry ID again, only to the providers that failed")
    parser.add_argument("--yes", action="store_true", help="with --retry-failed: retry even when the outcome was unknown")
    parser.add_argument("--curl", action="store_true", help="print the equivalent cURL command (secret redacted) and send nothing")
    parser.add_argument("--explain-signature", action="store_true", help="print the signature base string and send nothing")


#: what --explain-signature says for a profile that sends its secret instead of signing
NO_SIGNATURE = "this profile sends the secret over HTTPS; there is no signature to explain"


def _fail(message: str, code: int = 2) -> int:
    print(f"composer: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        return _fail("--timeout must be a positive number of seconds")
    retry_of = args.retry_failed
    if retry_of is not None:
        if args.draft:
            return _fail("give either a draft or --retry-failed ID, not both")
        try:
            retry = publishing.retry_call_from_history(retry_of)
        except publishing.RetryError as exc:
            return _fail(str(exc), exc.exit_code)
        if retry.warning and not args.yes:
            return _fail(f"{retry.warning} Run again with --yes to retry anyway.", 1)
        call, notes, draft_name = retry.call, [], retry.draft_name
        # the retry goes through the profile (and, for environment credentials, the endpoint) of
        # the first attempt unless told otherwise
        profile_name = args.profile or (None if args.data_center or args.base_url else retry.profile)
        if profile_name == ENVIRONMENT_NAME and not (args.data_center or args.base_url) and retry.base_url:
            args.base_url = retry.base_url
    else:
        if not args.draft:
            return _fail("give a draft file to publish (or --retry-failed ID)")
        try:
            draft = load_draft(args.draft)
        except DraftError as exc:
            return _fail(str(exc))
        call, notes, profile_name = draft.call, draft.notes, args.profile
        draft_name = Path(args.draft).name  # as the window names the draft it sent
    try:
        resolved = resolve(profile_name, data_center=args.data_center, base_url=args.base_url, auth=args.auth)
    except ProfileError as exc:
        return _fail(str(exc), exc.exit_code)
    problems = notes + validate(call, resolved.profile.approved_domains if resolved.profile else None)
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    if has_errors(problems):
        count = sum(1 for p in problems if p.severity is Severity.ERROR)
        return _fail(f"the draft has {count} error(s); nothing was sent", 2)
    for note in resolved.notes:
        print(f"note: {note}", file=sys.stderr)

    client = publishing.make_client(resolved, timeout=args.timeout)
    if args.curl or args.explain_signature:
        prepared = client.prepare(call.to_params())
        if args.curl:
            if "secret" in prepared.params and not prepared.url.startswith("https://"):
                print(
                    f"composer: warning: this request carries the secret over plain http; the server refuses it ({CODE_SECRET_OVER_HTTP})",
                    file=sys.stderr,
                )
            if resolved.source == "sandbox":
                print("composer: note: the built-in sandbox stops when this command ends; run 'composer sandbox' to keep one", file=sys.stderr)
        explanation = client.explain_signature(prepared) if args.explain_signature and "sig" in prepared.params else None
        if args.json:
            _print(json.dumps(_unsent_json(prepared, explanation, args), ensure_ascii=False, indent=2))
            return 0
        if args.curl:
            print(prepared.curl())
        if args.explain_signature:
            print(explanation if explanation is not None else NO_SIGNATURE)
        return 0
    result, history_id = publishing.publish_and_record(client, call, resolved.profile_name, retry_of=retry_of, draft_name=draft_name)
    args.sent = True  # from here the exit code says what the networks got (composer.cli.Output)
    if args.json:
        _print(json.dumps(publishing.result_json(result, history_id), ensure_ascii=False, indent=2))
    else:
        _print(publishing.render_result(result))
        if history_id is not None:
            print(f"history entry {history_id}")
    return result.outcome.exit_code


def _unsent_json(prepared: PreparedCall, explanation: SignatureExplanation | None, args: argparse.Namespace) -> dict:
    """--curl and --explain-signature with --json: one object, as for a publish (``sent`` 0: how
    many times the request was sent, as there).  ``signature`` is null when the profile sends the
    secret (nothing is signed); the secret and the signature stay redacted in ``request`` and
    ``curl``."""
    out: dict = {"sent": 0, "url": prepared.url, "request": prepared.redacted()}
    if args.curl:
        out["curl"] = prepared.curl()
    if args.explain_signature:
        out["signature"] = None if explanation is None else {
            "normalizedUrl": explanation.normalized_url,
            "parameters": explanation.query_string,
            "baseString": explanation.base_string,
            "sig": explanation.sig,
        }
        if explanation is None:
            out["notes"] = [NO_SIGNATURE]
    return out


def _print(text: str) -> None:
    """Print the result even where the terminal's encoding cannot write some of the server's
    characters: those are shown as escapes."""
    try:
        print(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        print(text.encode(encoding, "backslashreplace").decode(encoding))
