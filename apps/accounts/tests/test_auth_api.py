import jwt
import pytest
from django.conf import settings
from django.core.cache import cache

from apps.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle_history():
    cache.clear()


def login(api_client, username, password=PASSWORD, **headers):
    return api_client.post(
        "/auth/login", {"username": username, "password": password}, format="json", **headers
    )


def test_login_returns_tokens_and_the_user(api_client, user_factory):
    user = user_factory(username="laura", rol="secretaria")
    response = login(api_client, "laura")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
    assert body["user"] == {
        "id_user": user.pk,
        "username": "laura",
        "rol": "secretaria",
        "is_active": True,
        "id_paciente": None,
        "id_doctor": None,
    }
    assert "password" not in response.content.decode()


def test_access_token_is_rs256_and_carries_role_claims(api_client, user_factory):
    user = user_factory(username="laura", rol="secretaria")
    access = login(api_client, "laura").json()["access"]
    assert jwt.get_unverified_header(access)["alg"] == "RS256"
    claims = jwt.decode(access, settings.JWT_PUBLIC_KEY, algorithms=["RS256"], issuer=settings.JWT_ISSUER)
    assert claims["user_id"] == str(user.pk)
    assert claims["username"] == "laura"
    assert claims["rol"] == "secretaria"


def test_login_username_is_case_insensitive(api_client, user_factory):
    user_factory(username="Laura")
    assert login(api_client, "laura").status_code == 200


def test_bad_password_is_401_json_in_spanish(api_client, user_factory):
    user_factory(username="laura")
    response = login(api_client, "laura", "wrong-password")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    detail = response.json()["errors"][0]["detail"]
    assert "credenciales" in detail


def test_bad_password_in_english_on_request(api_client, user_factory):
    user_factory(username="laura")
    response = login(api_client, "laura", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
    assert "credentials" in response.json()["errors"][0]["detail"]


def test_inactive_user_cannot_log_in(api_client, user_factory):
    user_factory(username="laura", is_active=False)
    assert login(api_client, "laura").status_code == 401


def test_missing_fields_are_400_naming_each_field(api_client):
    response = api_client.post("/auth/login", {}, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"username", "password"}


def test_malformed_json_is_400_json(api_client):
    response = api_client.post("/auth/login", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_repeated_failed_logins_are_throttled_with_retry_after(api_client, user_factory):
    user_factory(username="laura")
    for _ in range(5):
        assert login(api_client, "laura", "wrong-password").status_code == 401
    response = login(api_client, "laura", "wrong-password")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "throttled"
    # Even the right password waits until the window has passed.
    assert login(api_client, "laura").status_code == 429


def test_spellings_of_one_username_share_its_failure_count(api_client, user_factory):
    # Case, spaces, full-width and mathematical letters all log into "laura" (NFKC).
    user_factory(username="laura")
    for spelling in ["laura", "LAURA", " Laura", "\uff4c\uff41\uff55\uff52\uff41", "\U0001d425aura"]:
        assert login(api_client, spelling, "wrong-password").status_code == 401
    assert login(api_client, "\uff4caura", "wrong-password").status_code == 429


def test_successful_logins_are_not_throttled(api_client, user_factory):
    user_factory(username="laura")
    for _ in range(8):
        assert login(api_client, "laura").status_code == 200


def test_throttle_is_per_username(api_client, user_factory):
    user_factory(username="laura")
    user_factory(username="pedro")
    for _ in range(6):
        login(api_client, "laura", "wrong-password")
    assert login(api_client, "pedro").status_code == 200


def test_me_returns_the_caller(client_for, user_factory):
    user = user_factory(username="laura")
    response = client_for(user).get("/auth/me")
    assert response.status_code == 200
    assert response.json()["username"] == "laura"


def test_me_requires_a_token(api_client):
    assert api_client.get("/auth/me").status_code == 401


def test_deactivated_user_token_is_refused_by_gestion(client_for, user_factory):
    user = user_factory()
    client = client_for(user)
    user.is_active = False
    user.save()
    assert client.get("/auth/me").status_code == 401


def test_refresh_rotates_and_revokes_the_old_refresh_token(api_client, user_factory):
    user_factory(username="laura")
    refresh = login(api_client, "laura").json()["refresh"]
    first = api_client.post("/auth/refresh", {"refresh": refresh}, format="json")
    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh", "token_type", "expires_in"}
    again = api_client.post("/auth/refresh", {"refresh": refresh}, format="json")
    assert again.status_code == 401


def test_of_two_refreshes_racing_with_one_token_only_one_succeeds(api_client, user_factory, monkeypatch):
    from rest_framework_simplejwt.tokens import RefreshToken

    user_factory(username="laura")
    refresh = login(api_client, "laura").json()["refresh"]
    # Both requests get past the blacklist check before either has blacklisted the token.
    monkeypatch.setattr(RefreshToken, "check_blacklist", lambda token: None)
    first = api_client.post("/auth/refresh", {"refresh": refresh}, format="json")
    second = api_client.post("/auth/refresh", {"refresh": refresh}, format="json")
    assert (first.status_code, second.status_code) == (200, 401)


def test_refresh_issues_the_role_the_user_has_now(api_client, user_factory):
    user = user_factory(username="laura", rol="admin")
    refresh = login(api_client, "laura").json()["refresh"]
    user.rol = "secretaria"
    user.save()
    tokens = api_client.post("/auth/refresh", {"refresh": refresh}, format="json").json()
    for kind in ("access", "refresh"):
        claims = jwt.decode(
            tokens[kind], settings.JWT_PUBLIC_KEY, algorithms=["RS256"], issuer=settings.JWT_ISSUER
        )
        assert claims["rol"] == "secretaria"


@pytest.mark.parametrize("gone", ["deactivated", "deleted"])
def test_refresh_of_a_user_no_longer_active_is_401(api_client, user_factory, gone):
    user = user_factory(username="laura")
    refresh = login(api_client, "laura").json()["refresh"]
    if gone == "deleted":
        user.delete()
    else:
        user.is_active = False
        user.save()
    response = api_client.post("/auth/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "no_active_account"


def test_logout_revokes_the_refresh_token(api_client, user_factory):
    user_factory(username="laura")
    tokens = login(api_client, "laura").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    response = api_client.post("/auth/logout", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200
    assert response.json() == {"mensaje": "Sesión cerrada."}
    refreshed = api_client.post("/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 401


def test_logout_refuses_another_users_refresh_token(api_client, user_factory, client_for):
    user_factory(username="laura")
    pedro = user_factory(username="pedro")
    lauras_refresh = login(api_client, "laura").json()["refresh"]
    response = client_for(pedro).post("/auth/logout", {"refresh": lauras_refresh}, format="json")
    assert response.status_code == 400
    assert api_client.post("/auth/refresh", {"refresh": lauras_refresh}, format="json").status_code == 200


def test_logout_requires_authentication(api_client):
    assert api_client.post("/auth/logout", {"refresh": "x"}, format="json").status_code == 401


def test_many_usernames_from_one_address_are_stopped_too(api_client, user_factory, settings):
    user_factory(username="laura")
    for n in range(settings.LOGIN_FALLOS_POR_DIRECCION):
        assert login(api_client, f"nadie{n}", "wrong-password").status_code == 401
    response = login(api_client, "laura")  # another account, the right password: still this address
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert login(api_client, "laura", REMOTE_ADDR="10.0.0.9").status_code == 200  # elsewhere, fine


def test_the_staff_login_form_is_locked_like_the_api(client, user_factory):
    user_factory(username="jefa", rol="admin")
    for _ in range(5):
        form = client.post("/staff/login/?next=/staff/", {"username": "jefa", "password": "wrong-password"})
        assert form.status_code == 200
    locked = client.post("/staff/login/?next=/staff/", {"username": "jefa", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert int(locked["Retry-After"]) > 0
    assert client.get("/staff/").status_code == 302  # not signed in


def test_api_and_staff_failures_add_up(api_client, client, user_factory):
    user_factory(username="jefa", rol="admin")
    for _ in range(3):
        login(api_client, "jefa", "wrong-password")
    for _ in range(2):
        client.post("/staff/login/", {"username": "jefa", "password": "wrong-password"})
    assert login(api_client, "jefa").status_code == 429


def test_citas_checks_credentials_under_the_policy_for_the_persons_address(client_for, user_factory):
    user_factory(username="marta", rol="secretaria")
    service = client_for(user_factory(username="servicio-citas", rol="servicio"))

    def check(password, direccion="192.0.2.7"):
        body = {"username": "marta", "password": password, "direccion": direccion}
        return service.post("/interno/credenciales", body, format="json")

    ok = check(PASSWORD)
    assert ok.status_code == 200
    assert {k: ok.json()[k] for k in ("username", "rol")} == {"username": "marta", "rol": "secretaria"}
    for _ in range(5):
        assert check("wrong-password").status_code == 401
    assert check(PASSWORD).status_code == 429
    assert check(PASSWORD, direccion="192.0.2.8").status_code == 200  # another person's address
