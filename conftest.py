"""Fixtures shared by every test run, whichever deployable's settings it uses."""

import time
import uuid

import jwt
import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The login throttle's cache table is not a migration; production creates it at start.
    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        with django_db_blocker.unblock():
            call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _no_token_verified_by_an_earlier_test():
    from apps.common.authentication import verificados

    verificados.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def private_key() -> str:
    """gestion's signing key, which tests of either deployable use to act as the issuer."""
    return settings.JWT_PRIVATE_KEY_PATH.read_text()


@pytest.fixture
def make_token(private_key):
    """Mint an access token as gestion would; keyword arguments override or add claims."""

    def make(*, key: str | None = None, algorithm: str = "RS256", **claims) -> str:
        now = int(time.time())
        payload = {
            "token_type": "access",
            "exp": now + 300,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "iss": settings.JWT_ISSUER,
            "user_id": 1,
            "username": "admin",
            "rol": "admin",
            **claims,
        }
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key or private_key, algorithm=algorithm)

    return make


@pytest.fixture
def client_for():
    """gestion: an API client authenticated as the given user with a real access token."""
    from apps.accounts.serializers import LoginSerializer

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {LoginSerializer.get_token(user).access_token}")
        return client

    return make
