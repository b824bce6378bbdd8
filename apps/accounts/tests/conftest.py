import pytest

from apps.accounts.tests.factories import UserFactory


@pytest.fixture
def user_factory():
    return UserFactory
