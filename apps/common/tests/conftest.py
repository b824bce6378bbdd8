import pytest


@pytest.fixture(autouse=True)
def _tokens_checked_on_their_own(settings):
    # These tests are about a token's signature and claims; citas' revocations are tested with citas.
    settings.JWT_REVOCATION_CHECK = None
