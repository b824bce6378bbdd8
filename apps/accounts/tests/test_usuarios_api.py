import pytest

from apps.accounts.models import User
from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_USER = {"username": "marta.ruiz", "password": "clave-segura-2026", "rol": "secretaria"}


@pytest.fixture
def admin_client(client_for, user_factory):
    return client_for(user_factory(rol="admin"))


def test_admin_creates_a_secretaria(admin_client):
    response = admin_client.post("/admin/usuario", NEW_USER, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id_user": body["id_user"],
        "username": "marta.ruiz",
        "rol": "secretaria",
        "is_active": True,
        "id_paciente": None,
        "id_doctor": None,
    }
    assert User.objects.get(pk=body["id_user"]).check_password(NEW_USER["password"])


@pytest.mark.parametrize("rol", ["medico", "paciente", "servicio", "jefe"])
def test_only_admin_and_secretaria_accounts_are_made_here(admin_client, rol):
    response = admin_client.post("/admin/usuario", {**NEW_USER, "rol": rol}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "rol"


@pytest.mark.parametrize(
    "username",
    ["\ufb00" * 100, "\ufdfa"],  # 200 letters once normalized; a ligature that normalizes to words and spaces
    ids=["too-long-once-normalized", "spaces-once-normalized"],
)
def test_a_username_is_validated_as_it_will_be_stored(admin_client, username):
    response = admin_client.post(
        "/admin/usuario",
        {"username": username, "password": "clave-segura-2026", "rol": "secretaria"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "username"
    assert not User.objects.filter(rol="secretaria").exists()


def test_taken_username_is_409(admin_client, user_factory):
    user_factory(username="Marta.Ruiz")
    response = admin_client.post("/admin/usuario", NEW_USER, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "usuario_duplicado"
    assert User.objects.filter(username__iexact="marta.ruiz").count() == 1


@pytest.mark.parametrize("rol", ["secretaria", "medico", "paciente", "servicio"])
def test_only_admin_manages_users(client_for, user_factory, rol):
    client = client_for(user_factory(rol=rol))
    assert client.post("/admin/usuario", NEW_USER, format="json").status_code == 403
    assert client.get("/admin/usuario").status_code == 403


def test_admin_lists_and_reads_users(admin_client, user_factory):
    other = user_factory(username="pedro")
    listing = admin_client.get("/admin/usuario?search=ped").json()
    assert [u["username"] for u in listing["results"]] == ["pedro"]
    assert admin_client.get(f"/admin/usuario/{other.pk}").json()["username"] == "pedro"


def test_bulk_users_all_or_nothing(admin_client):
    items = [NEW_USER, {**NEW_USER, "username": "luis", "rol": "medico"}]
    response = admin_client.post("/admin/usuario", items, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "1.rol"
    assert not User.objects.filter(username="marta.ruiz").exists()


def test_admin_deactivates_a_user_who_then_can_neither_log_in_nor_refresh(client_for, api_client):
    user = UserFactory(rol="secretaria", password="clave-secreta-2026")
    tokens = api_client.post(
        "/auth/login", {"username": user.username, "password": "clave-secreta-2026"}, format="json"
    ).json()
    admin = client_for(UserFactory(rol="admin"))
    response = admin.patch(f"/admin/usuario/{user.pk}", {"is_active": False}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    login = api_client.post(
        "/auth/login", {"username": user.username, "password": "clave-secreta-2026"}, format="json"
    )
    assert login.status_code == 401
    assert api_client.post("/auth/refresh", {"refresh": tokens["refresh"]}, format="json").status_code == 401
    assert admin.patch(f"/admin/usuario/{user.pk}", {"rol": "admin"}, format="json").status_code == 400


def test_only_admin_deactivates_users(client_for):
    user = UserFactory(rol="secretaria")
    response = client_for(UserFactory(rol="secretaria")).patch(
        f"/admin/usuario/{user.pk}", {"is_active": False}, format="json"
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active


def test_the_caller_changes_its_password_with_the_old_one(client_for, api_client):
    user = UserFactory(password="clave-vieja-2026")
    client = client_for(user)
    wrong = client.post(
        "/auth/password", {"actual": "no-es-esta", "nueva": "clave-nueva-2026"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "password_incorrecta"
    weak = client.post("/auth/password", {"actual": "clave-vieja-2026", "nueva": "123"}, format="json")
    assert weak.status_code == 400
    assert (
        client.post(
            "/auth/password", {"actual": "clave-vieja-2026", "nueva": "clave-nueva-2026"}, format="json"
        ).status_code
        == 204
    )
    old = api_client.post(
        "/auth/login", {"username": user.username, "password": "clave-vieja-2026"}, format="json"
    )
    new = api_client.post(
        "/auth/login", {"username": user.username, "password": "clave-nueva-2026"}, format="json"
    )
    assert (old.status_code, new.status_code) == (401, 200)
