import pytest

from apps.accounts.models import User

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
