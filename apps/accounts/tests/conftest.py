import pytest
from rest_framework.test import APIClient

from apps.accounts.serializers import LoginSerializer
from apps.accounts.tests.factories import UserFactory


@pytest.fixture
def user_factory():
    return UserFactory


@pytest.fixture
def client_for():
    """An API client authenticated as the given user with a real access token."""

    def make(user) -> APIClient:
        client = APIClient()
        access = LoginSerializer.get_token(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        return client

    return make
