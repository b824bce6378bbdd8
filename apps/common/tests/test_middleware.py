import pytest

PROBE_URLS = "apps.common.tests.urls"


@pytest.mark.django_db
@pytest.mark.urls(PROBE_URLS)
def test_post_with_trailing_slash_reaches_the_view_without_redirect(client):
    # The probe answers 401 to anonymous callers: proof that the request got there unredirected.
    assert client.post("/_probe/").status_code == 401


@pytest.mark.django_db
def test_a_path_is_routed_by_the_urlconf_in_force(client, settings):
    assert client.post("/_probe/").status_code == 404  # the deployable's URLconf has no probe
    settings.ROOT_URLCONF = PROBE_URLS
    assert client.post("/_probe/").status_code == 401
