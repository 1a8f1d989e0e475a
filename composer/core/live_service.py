"""The truth about Gigya's live service for this call, worded once: the About box, ``composer profile
test`` and every result from an endpoint that is not a sandbox on this machine say it from here,
and the README's first screen says the same words (a test holds them together).

Sources:

- Gigya's page for the method opened with "This feature or component is being deprecated and will
  cease to function on January 31, 2021. For more information, see Social Engagement Deprecation."
  (https://developers.gigya.com/display/GD/socialize.publishUserAction+REST)
- Facebook removed ``publish_actions`` on 2018-04-24: apps created from then on could not have it,
  and apps approved before could use it until 2018-08-01
  (https://developers.facebook.com/docs/graph-api/changelog/non-versioned-changes/apr-24-2018,
  https://developers.facebook.com/ads/blog/post/2018/04/24/platform-product-changes/).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from composer.core.contract import DATA_CENTERS, METHOD
from composer.core.wire.endpoint import is_loopback

#: the day Gigya's live service stopped running the method (the page quoted in LIVE_SERVICE_RETIRED)
RETIRED_ON = "2021-01-31"

LIVE_SERVICE_RETIRED = (
    f"Gigya retired {METHOD} on its live service on {RETIRED_ON} (its page for the call said it "
    '"is being deprecated and will cease to function on January 31, 2021"), and Facebook ended '
    "publish_actions, the permission an app needs to post for a user, in 2018: a real data center "
    "no longer posts."
)
SANDBOX_REHEARSES = "The built-in sandbox speaks the same contract and is where every outcome can still be rehearsed."
#: the whole truth, as the README's first screen and the About box say it
LIVE_SERVICE_TRUTH = f"{LIVE_SERVICE_RETIRED} {SANDBOX_REHEARSES}"

#: the domains Gigya's data centers live under (``us1.gigya.com`` -> ``gigya.com``), their staging
#: hosts (``us1-st1.gigya.com``) included
GIGYA_DOMAINS: tuple[str, ...] = tuple(sorted({".".join(dc.split(".")[-2:]) for dc in DATA_CENTERS}))


def is_gigya_host(host: str) -> bool:
    """``host`` belongs to one of Gigya's data centers (or their staging copies)."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in GIGYA_DOMAINS)


def endpoint_note(url: str) -> str:
    """What an answer from ``url`` means now that the live call is retired; "" for a server on this
    machine (loopback: the built-in sandbox, ``composer sandbox``), whose answers are rehearsals."""
    host = urlsplit(url).hostname or ""
    if not host or is_loopback(host):
        return ""
    if is_gigya_host(host):
        return (
            f"{host} is Gigya's live service, where {METHOD} was retired on {RETIRED_ON} (and Facebook "
            "ended publish_actions in 2018): no answer from it means a post on a real network. "
            + SANDBOX_REHEARSES
        )
    return (
        f"{host} is not Gigya's live service (which retired {METHOD} on {RETIRED_ON}): whatever it "
        "answers comes from that server (a staging copy or a sandbox), not from a real network. " + SANDBOX_REHEARSES
    )
