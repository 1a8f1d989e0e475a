"""Each network's hard limits, enforced as the network would: an over-limit post fails on that
network alone, and the others still post.

The code is the contract's ``403024`` "Provider limit reached" (gigya-api.md section 4: "per
provider", the code Gigya gives a network's own refusal of a post, as for a duplicate status), with
details naming the limit.  The limits themselves are :mod:`composer.core.call.networks`'s.

A post is judged as Gigya delivers it: with the link back in Gigya's form, ``http://fw.to/CODE``,
the one the previews show and count, and not with the sandbox's own ``/s/CODE`` stand-in, whose
length depends on the address the sandbox listens on.  A draft therefore fits here exactly when it
fits in the previews.  Twitter and Weibo weigh a link rather than count its characters (23; 10 up
to 140 bytes), so the status the sandbox records, with its stand-in on an IP address such as
127.0.0.1, counts the same as with Gigya's link.
"""

from __future__ import annotations

from composer.core.call.model import UserAction
from composer.core.call.networks import breaches
from composer.core.contract import CODE_PROVIDER_LIMIT


def refusal(provider: str, action: UserAction, short_urls: str) -> tuple[int, str] | None:
    """``(errorCode, errorDetails)`` when ``provider`` refuses ``action`` (as the client sent it,
    its link shortened under ``short_urls`` as Gigya does) for a hard limit, else None."""
    for breach in breaches(provider, action, short_urls):
        if breach.hard:
            return CODE_PROVIDER_LIMIT, f"Limit reached: {breach.message}"
    return None
