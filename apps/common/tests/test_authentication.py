"""Bearer tokens are verified the same way on both deployables; run under each one's settings."""

import base64
import json
import time

import pytest
from django.conf import settings

from odontocare.keys import generate_keypair

pytestmark = [pytest.mark.urls("apps.common.tests.urls"), pytest.mark.django_db]


@pytest.fixture
def caller():
    """Claims of a caller. gestion looks the user up, so there it must exist; citas trusts the claims."""
    if settings.SERVICE_NAME == "citas":
        return {"user_id": 7, "username": "ana", "rol": "secretaria"}
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("ana", "x-secret-123", rol="secretaria")
    return {"user_id": user.pk, "username": "ana", "rol": "secretaria"}


def probe(api_client, token: str | None, scheme: str = "Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {token}"} if token is not None else {}
    return api_client.get("/_probe", **headers)


def assert_json_401(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["type"] == "client_error"
    assert len(body["errors"]) == 1, body
    assert body["errors"][0]["code"] in {"not_authenticated", "authentication_failed", "token_not_valid"}
    assert body["errors"][0]["attr"] is None
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_is_accepted_and_carries_the_role(api_client, make_token, caller):
    response = probe(api_client, make_token(**caller))
    assert response.status_code == 200
    assert response.json() == {"username": "ana", "rol": "secretaria"}


def test_missing_token_is_401_json(api_client):
    assert_json_401(probe(api_client, None))


def test_tampered_token_is_rejected(api_client, make_token, caller):
    header, payload, signature = make_token(**caller).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["rol"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert_json_401(probe(api_client, f"{header}.{forged}.{signature}"))


def test_expired_token_is_rejected(api_client, make_token, caller):
    past = int(time.time()) - 3600
    assert_json_401(probe(api_client, make_token(**caller, iat=past - 60, exp=past)))


def test_unsigned_alg_none_token_is_rejected(api_client, make_token, caller):
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = make_token(**caller).split(".")[1]
    assert_json_401(probe(api_client, f"{header}.{payload}."))


def test_hs256_token_signed_with_the_public_key_is_rejected(api_client, caller):
    # The classic key-confusion attack: the public key used as an HMAC secret.
    import hmac
    from hashlib import sha256

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    claims = {
        **caller,
        "token_type": "access",
        "exp": now + 300,
        "iat": now,
        "jti": "x",
        "iss": settings.JWT_ISSUER,
    }
    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(settings.JWT_PUBLIC_KEY.encode(), signing_input.encode(), sha256).digest()
    assert_json_401(probe(api_client, f"{signing_input}.{b64(signature)}"))


def test_token_signed_by_another_key_is_rejected(api_client, make_token, caller, tmp_path):
    generate_keypair(tmp_path / "other.pem", tmp_path / "other.pub")
    assert_json_401(probe(api_client, make_token(**caller, key=(tmp_path / "other.pem").read_text())))


def test_refresh_token_is_not_an_access_token(api_client, make_token, caller):
    assert_json_401(probe(api_client, make_token(**caller, token_type="refresh")))


def test_token_from_another_issuer_is_rejected(api_client, make_token, caller):
    assert_json_401(probe(api_client, make_token(**caller, iss="someone-else")))


def test_garbage_and_wrong_scheme_are_rejected(api_client):
    assert_json_401(probe(api_client, "not-a-jwt"))
    assert probe(api_client, "abc", scheme="Basic").status_code == 401
