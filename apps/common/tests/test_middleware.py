import pytest

pytestmark = pytest.mark.urls("apps.common.tests.urls")


@pytest.mark.django_db
def test_post_with_trailing_slash_reaches_the_view_without_redirect(client):
    # The probe answers 401 to anonymous callers: proof that the request got there unredirected.
    assert client.post("/_probe/").status_code == 401
