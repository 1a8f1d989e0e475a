"""Comparing what happened to a case with what it expects, in words a person reads: each
mismatch says what was expected and what came instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from composer.core.plans.plan import Expectation, ProviderExpectation
from composer.core.wire.result import PublishResult, Status


@dataclass(frozen=True)
class Got:
    """What a case came to, kept small (a run of a thousand cases holds one each): refused by
    validation (with the first errors), or the outcome and each network's status and code."""

    refused: bool = False
    outcome: str = ""
    #: provider -> (status, errorCode)
    providers: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    headline: str = ""

    @classmethod
    def from_result(cls, result: PublishResult) -> Got:
        return cls(
            outcome=result.outcome.value,
            providers={p.provider: (p.status.value, p.error_code) for p in result.providers},
            headline=result.headline,
        )

    def to_json(self) -> dict[str, Any]:
        if self.refused:
            return {"refused": True, "problems": list(self.problems)}
        return {
            "outcome": self.outcome,
            "providers": {name: _status_json(status, code) for name, (status, code) in self.providers.items()},
        }


def _status_json(status: str, code: int | None) -> dict[str, Any]:
    return {"status": status} if code is None else {"status": status, "errorCode": code}


def mismatches(expect: Expectation, got: Got) -> list[str]:
    """Every way ``got`` differs from ``expect`` (none: the case passes)."""
    if expect.refused or got.refused:
        if expect.refused and got.refused:
            return []
        if expect.refused:
            return [f"expected validation to refuse the draft, got {got.outcome or 'nothing'} ({got.headline})"]
        return [f"expected {describe_expected(expect)}, got refused by validation: {'; '.join(got.problems[:3])}"]
    out = []
    if expect.outcome and expect.outcome != got.outcome:
        out.append(f"outcome: expected {expect.outcome}, got {got.outcome}")
    for provider, wanted in expect.providers.items():
        status, code = got.providers.get(provider, ("not_attempted", None))
        if wanted.status != status:
            out.append(f"{provider}: expected {_status(wanted.status, wanted.error_code)}, got {_status(status, code)}")
        elif wanted.error_code is not None and wanted.error_code != code:
            out.append(f"{provider}: expected errorCode {wanted.error_code}, got {code if code is not None else 'none'}")
    return out


def _status(status: str, code: int | None) -> str:
    # a network that posted carries errorCode 0: nothing worth showing
    return status if not code else f"{status} {code}"


def describe_expected(expect: Expectation) -> str:
    if expect.refused:
        return "refused"
    parts = [expect.outcome] if expect.outcome else []
    parts += [f"{name} {_status(p.status, p.error_code)}" for name, p in expect.providers.items()]
    return ", ".join(parts)


def describe_got(got: Got, expect: Expectation | None = None) -> str:
    """What came, in the terms of ``expect``: the networks it names first, then the others."""
    if got.refused:
        return "refused: " + "; ".join(got.problems[:3])
    named = list(expect.providers) if expect else []
    parts = [got.outcome] + [f"{name} {_status(*got.providers.get(name, ('not_attempted', None)))}" for name in named]
    others = [f"{name} {_status(status, code)}" for name, (status, code) in got.providers.items() if name not in named and status != "not_attempted"]
    return ", ".join(parts + others)


def expectation_from_result(result: PublishResult) -> Expectation:
    """The expectation that ``result`` meets exactly ("Save as test case"): its outcome, and each
    attempted network's status and error code."""
    return Expectation(
        outcome=result.outcome.value,
        providers={
            p.provider: ProviderExpectation(p.status.value, p.error_code or None)
            for p in result.providers
            if p.status is not Status.NOT_ATTEMPTED
        },
    )
