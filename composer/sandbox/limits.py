"""Each network's hard limits, enforced as the network would: an over-limit post fails on that
network alone, and the others still post.

The code is the contract's ``403024`` "Provider limit reached" (gigya-api.md section 4: "per
provider", the code Gigya gives a network's own refusal of a post, as for a duplicate status), with
details naming the limit.  The limits themselves are :mod:`composer.core.call.networks`'s.
"""

from __future__ import annotations

from composer.core.call.model import UserAction
from composer.core.call.networks import breaches
from composer.core.contract import CODE_PROVIDER_LIMIT


def refusal(provider: str, action: UserAction, short_urls: str) -> tuple[int, str] | None:
    """``(errorCode, errorDetails)`` when ``provider`` refuses ``action`` for a hard limit, else None."""
    for breach in breaches(provider, action, short_urls):
        if breach.hard:
            return CODE_PROVIDER_LIMIT, f"Limit reached: {breach.message}"
    return None
