"""The request signature: HMAC-SHA1 over the OAuth 1.0 base string, the percent-encoding it uses,
and the body a signed request sends."""

from __future__ import annotations

import base64

from composer.core.wire import signing


def test_signature_public_test_vector():
    secret = base64.b64encode(b"test-consumer-secret&test-token-secret").decode()
    params = {
        "file": "vacation.jpg",
        "size": "original",
        "oauth_consumer_key": "test-consumer-secret",
        "oauth_token": "test-token-secret",
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": "1191242096",
        "oauth_nonce": "kllo9940pd9333jh",
        "oauth_version": "1.0",
    }
    assert signing.sign(secret, "POST", "http://photos.example.net/photos", params) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="
    # the normalized URL drops the default port and lower-cases scheme and host
    assert signing.sign(secret, "POST", "HTTP://Photos.Example.NET:80/photos", params) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="
    # sig and secret are never part of the signed set
    assert signing.sign(secret, "POST", "http://photos.example.net/photos", {**params, "sig": "x", "secret": "y"}) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="
    assert signing.verify(secret, "POST", "http://photos.example.net/photos", params, "j4/Jwtp11HLWl7KG3QlsczfRRpU=")
    assert not signing.verify(secret, "POST", "http://photos.example.net/photos", {**params, "size": "small"}, "j4/Jwtp11HLWl7KG3QlsczfRRpU=")


def test_pct_matches_the_contract():
    assert signing.pct("!*'();:@&=+$,/?%#[] ") == "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%25%23%5B%5D%20"
    assert signing.pct("AZaz09-._~") == "AZaz09-._~"
    assert signing.pct("é 新") == "%C3%A9%20%E6%96%B0"


def test_the_signed_body_is_the_encoded_form_of_every_parameter_and_the_signature():
    """The body a signed request sends is the query string that was signed, ``sig`` appended;
    form decoding gives back every parameter exactly, whatever its characters."""
    from urllib.parse import parse_qsl

    secret = base64.b64encode(b"k" * 16).decode()
    url = "https://socialize.us1.gigya.com/socialize.publishUserAction"
    params = {"UID": "a+b & c=d 100%", "userAction": '{"title":"新しい 🎉 <b>x</b>"}', "empty": "", "nonce": "n"}
    sig, body = signing.signed_body(secret, "POST", url, params)
    assert sig == signing.sign(secret, "POST", url, params)
    assert dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True)) == {**params, "sig": sig}
    assert body.startswith(signing.query_string(params) + "&sig=")
    # keys outside the unreserved set (never Gigya's) are encoded in the body too
    odd = {"a key&x": "1", "UID": "u"}
    sig, body = signing.signed_body(secret, "POST", url, odd)
    assert sig == signing.sign(secret, "POST", url, odd)
    assert dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True)) == {**odd, "sig": sig}


def test_base_string_encodes_values_twice_and_sorts_by_bytes():
    base = signing.base_string("post", "https://Socialize.US1.gigya.com:443/socialize.publishUserAction", {"apiKey": "k", "UID": "a b"})
    assert base == "POST&https%3A%2F%2Fsocialize.us1.gigya.com%2Fsocialize.publishUserAction&UID%3Da%2520b%26apiKey%3Dk"
    assert signing.normalized_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"
