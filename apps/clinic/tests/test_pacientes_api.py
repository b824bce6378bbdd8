import pytest

from apps.accounts.models import User
from apps.clinic.models import Paciente
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import PacienteFactory

pytestmark = pytest.mark.django_db

PACIENTE = {
    "nombre": "Javier Gómez Sanz",
    "telefono": "+34 612 345 678",
    "username": "javier.gomez",
    "password": "clave-segura-2026",
}


def test_admin_creates_an_active_patient_with_its_user(as_role):
    response = as_role("admin").post("/admin/pacientes", PACIENTE, format="json")
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="javier.gomez")
    assert body == {
        "id_paciente": body["id_paciente"],
        "id_user": user.pk,
        "nombre": "Javier Gómez Sanz",
        "telefono": "+34 612 345 678",
        "estado": "ACTIVO",
    }
    assert user.rol == "paciente"


@pytest.mark.parametrize(
    ("field", "value"),
    [("estado", "DORMIDO"), ("telefono", "llámame"), ("nombre", ""), ("username", "con espacio")],
)
def test_invalid_field_is_400_naming_it_and_writes_nothing(as_role, field, value):
    response = as_role("admin").post("/admin/pacientes", {**PACIENTE, field: value}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == field
    assert not User.objects.filter(username=PACIENTE["username"]).exists()


@pytest.mark.parametrize(("rol", "status"), [(None, 401)] + [(r, 403) for r in ROLES if r != "admin"])
def test_only_admin_creates_patients(as_role, rol, status):
    assert as_role(rol).post("/admin/pacientes", PACIENTE, format="json").status_code == status
    assert not Paciente.objects.filter(nombre=PACIENTE["nombre"]).exists()


@pytest.mark.parametrize("rol", ["admin", "secretaria", "medico", "servicio"])
def test_staff_roles_and_the_service_read_every_patient(as_role, rol):
    PacienteFactory.create_batch(2)
    client = as_role(rol)  # a medico's or patient's own profile adds no patient here
    assert client.get("/admin/pacientes").json()["count"] == 2


def test_patient_lists_only_itself(client_for):
    me = PacienteFactory()
    PacienteFactory.create_batch(2)
    body = client_for(me.user).get("/admin/pacientes").json()
    assert [p["id_paciente"] for p in body["results"]] == [me.pk]


def test_patient_cannot_read_another_patients_record(client_for):
    me, other = PacienteFactory(), PacienteFactory()
    client = client_for(me.user)
    assert client.get(f"/admin/pacientes/{me.pk}").status_code == 200
    response = client.get(f"/admin/pacientes/{other.pk}")
    assert response.status_code == 404
    assert other.nombre not in response.content.decode()


def test_anonymous_cannot_read_patients(as_role):
    assert as_role(None).get("/admin/pacientes").status_code == 401


def test_filter_by_estado(as_role):
    PacienteFactory(estado="ACTIVO")
    PacienteFactory(estado="INACTIVO")
    body = as_role("admin").get("/admin/pacientes?estado=INACTIVO").json()
    assert [p["estado"] for p in body["results"]] == ["INACTIVO"]


def test_admin_deactivates_a_patient(as_role):
    paciente = PacienteFactory()
    response = as_role("admin").patch(
        f"/admin/pacientes/{paciente.pk}", {"estado": "INACTIVO"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["estado"] == "INACTIVO"
    paciente.refresh_from_db()
    assert paciente.estado == "INACTIVO"


def test_secretaria_changes_phone_and_estado(as_role):
    paciente = PacienteFactory()
    change = {"telefono": "+34 699 000 111", "estado": "INACTIVO"}
    response = as_role("secretaria").patch(f"/admin/pacientes/{paciente.pk}", change, format="json")
    assert response.status_code == 200
    assert response.json() == {**response.json(), **change, "nombre": paciente.nombre}


def test_secretaria_may_not_rename_a_patient(as_role):
    paciente = PacienteFactory()
    response = as_role("secretaria").patch(
        f"/admin/pacientes/{paciente.pk}", {"nombre": "Otro", "telefono": "+34 699 000 111"}, format="json"
    )
    assert response.status_code == 403
    paciente.refresh_from_db()
    assert (paciente.nombre, paciente.telefono) != ("Otro", "+34 699 000 111")


@pytest.mark.parametrize("rol", ["medico", "paciente", "servicio"])
def test_other_roles_cannot_change_patients(as_role, rol):
    paciente = PacienteFactory()
    response = as_role(rol).patch(f"/admin/pacientes/{paciente.pk}", {"estado": "INACTIVO"}, format="json")
    assert response.status_code in {403, 404}
    paciente.refresh_from_db()
    assert paciente.estado == "ACTIVO"


def test_patient_cannot_change_its_own_record(client_for):
    me = PacienteFactory()
    response = client_for(me.user).patch(f"/admin/pacientes/{me.pk}", {"estado": "INACTIVO"}, format="json")
    assert response.status_code == 403
