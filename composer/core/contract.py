"""The constants of Gigya's ``socialize.publishUserAction`` contract, each defined once.

The client, the validation, the previews, the credential check and the sandbox server all speak the
same contract; they import its facts from here so that they cannot drift apart.  Sources: the
project's summary of the contract, ``gigya-api.md`` (its section is named beside each constant),
which restates Gigya's REST reference page for the method.

This module imports nothing: the window's first frame lists profiles and networks, and may use it
freely.
"""

from __future__ import annotations

# --- the method ----------------------------------------------------------------------------------

#: the method this app calls; also the last segment of its URL (section 1, "The request")
METHOD = "socialize.publishUserAction"

# --- providers -----------------------------------------------------------------------------------

#: the valid provider names, in the reference's order (section 1, "Valid provider names")
PROVIDERS: tuple[str, ...] = ("facebook", "twitter", "linkedin", "vkontakte", "renren", "sina")

#: each provider's own name for people (the reference page's "Supporting Providers")
PROVIDER_LABELS: dict[str, str] = {
    "facebook": "Facebook",
    "twitter": "Twitter",
    "linkedin": "LinkedIn",
    "vkontakte": "VKontakte",
    "renren": "Renren",
    "sina": "Sina Weibo",
}

#: the networks whose post IDs an answer's ``providerPostIDs`` carries; the others report success
#: only in ``providerErrorCodes`` (the seed, "Response Data": "The optional field names are:
#: 'facebook', 'twitter' and 'linkedin'")
POST_ID_PROVIDERS: tuple[str, ...] = ("facebook", "twitter", "linkedin")

# --- data centers --------------------------------------------------------------------------------

#: the data centers (``apiDomain``) a call can go to, including the older Russian and Chinese
#: names that existing integrations still use (section 1, "Data centers")
DATA_CENTERS: tuple[str, ...] = (
    "us1.gigya.com",
    "eu1.gigya.com",
    "eu2.gigya.com",
    "au1.gigya.com",
    "ru1.gigya.com",
    "cn1.sapcdm.cn",
    "cn1.gigya-api.cn",
    "global.gigya.com",
)
#: the data center when none is named (section 1, "Data centers": us1 is the default)
DEFAULT_DATA_CENTER = "us1.gigya.com"

# --- authorization -------------------------------------------------------------------------------

#: how far a signed request's ``timestamp`` may be from the server's clock, in seconds, before the
#: server answers CODE_EXPIRED (section 1, "The signature", last paragraph)
TIMESTAMP_WINDOW_S = 120

#: the parameters whose values are secret, or prove knowledge of one: the secret itself, the
#: request's signature, and an OAuth token (section 1, "Authorization")
SECRET_PARAMS: tuple[str, ...] = ("secret", "sig", "oauth_token")
#: every parameter that authorizes a call (section 1, "Authorization"); they never belong to a draft
CREDENTIAL_PARAMS = frozenset({"apiKey", "userKey", "timestamp", "nonce", *SECRET_PARAMS})

#: what stands in for the secret and the signature wherever a request is shown (the cURL command,
#: history, ``repr``): the contract's secret must never be shown, so the app marks where it was
#: (style.md, "Secrets")
REDACTED = "<redacted>"

# --- error codes (section 4, "Outcomes and error codes") -----------------------------------------

CODE_OK = 0
#: the API key lives in another data center; the answer names it in ``apiDomain``
CODE_WRONG_DATA_CENTER = 301001
CODE_MISSING_PARAMETER = 400002
#: malformed JSON, a value out of bounds, an unsupported provider; the details name the value
CODE_INVALID_PARAMETER = 400006
CODE_INVALID_API_KEY = 400093
#: the timestamp is more than TIMESTAMP_WINDOW_S from the server's clock
CODE_EXPIRED = 403002
CODE_INVALID_SIGNATURE = 403003
#: unknown or logged-out UID, unknown user key, or a network session that expired
CODE_UNAUTHORIZED_USER = 403005
CODE_SECRET_OVER_HTTP = 403006
CODE_PERMISSION_DENIED = 403007
#: one network refused, e.g. "Limit reached: Status is a duplicate."
CODE_PROVIDER_LIMIT = 403024
CODE_RATE_LIMIT = 403048
CODE_TOO_MANY_REQUESTS = 409030
CODE_GENERAL_SERVER_ERROR = 500001

#: each code's ``errorMessage`` as the service words it (section 4's table)
ERROR_MESSAGES: dict[int, str] = {
    CODE_OK: "OK",
    CODE_WRONG_DATA_CENTER: "Invalid data center",
    CODE_MISSING_PARAMETER: "Missing required parameter",
    CODE_INVALID_PARAMETER: "Invalid parameter value",
    CODE_INVALID_API_KEY: "Invalid ApiKey parameter",
    CODE_EXPIRED: "Request has expired",
    CODE_INVALID_SIGNATURE: "Invalid request signature",
    CODE_UNAUTHORIZED_USER: "Unauthorized user",
    CODE_SECRET_OVER_HTTP: "Secret Sent Over Http",
    CODE_PERMISSION_DENIED: "Permission denied",
    CODE_PROVIDER_LIMIT: "Provider limit reached",
    CODE_RATE_LIMIT: "Api rate limit exceeded",
    CODE_TOO_MANY_REQUESTS: "Too many requests for same user",
    CODE_GENERAL_SERVER_ERROR: "General server error",
}
