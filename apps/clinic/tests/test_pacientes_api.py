import pytest

from apps.accounts.models import User
from apps.clinic.models import Paciente
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import CentroFactory, DoctorFactory, PacienteFactory

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
        "documento": None,
        "fecha_nacimiento": None,
        "email": "",
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


@pytest.mark.parametrize(
    ("rol", "status"), [(None, 401)] + [(r, 403) for r in ROLES if r not in ("admin", "secretaria")]
)
def test_only_admin_and_secretaria_create_patients(as_role, rol, status):
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


def test_secretaria_edits_a_patients_record(as_role):
    paciente = PacienteFactory()
    change = {"nombre": "Otro Nombre", "telefono": "+34 699 000 111", "documento": "x-1234567-l"}
    response = as_role("secretaria").patch(f"/admin/pacientes/{paciente.pk}", change, format="json")
    assert response.status_code == 200, response.json()
    paciente.refresh_from_db()
    assert (paciente.nombre, paciente.telefono, paciente.documento) == (
        "Otro Nombre",
        "+34 699 000 111",
        "X1234567L",
    )


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


WALK_IN = {"nombre": "Rosa Vidal", "telefono": "+34 600 123 456", "documento": "12345678-z"}


def test_secretaria_registers_a_patient_without_a_login(as_role):
    response = as_role("secretaria").post("/admin/pacientes", WALK_IN, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["id_user"], body["documento"], body["estado"]) == (None, "12345678Z", "ACTIVO")
    assert Paciente.objects.get(pk=body["id_paciente"]).user is None


def test_a_patient_without_a_login_is_given_one_later_and_it_works(as_role, api_client):
    paciente = as_role("secretaria").post("/admin/pacientes", WALK_IN, format="json").json()
    credentials = {"username": "rosa.vidal", "password": "clave-segura-2026"}
    response = as_role("secretaria").post(
        f"/admin/pacientes/{paciente['id_paciente']}/usuario", credentials, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rol"] == "paciente"
    assert response.json()["id_paciente"] == paciente["id_paciente"]
    login = api_client.post("/auth/login", credentials, format="json")
    assert login.status_code == 200
    assert login.json()["user"]["id_paciente"] == paciente["id_paciente"]
    again = as_role("admin").post(
        f"/admin/pacientes/{paciente['id_paciente']}/usuario",
        {"username": "otra.rosa", "password": "clave-segura-2026"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "paciente_con_usuario"
    assert not User.objects.filter(username="otra.rosa").exists()


@pytest.mark.parametrize("rol", ["medico", "paciente", "servicio"])
def test_only_admin_and_secretaria_give_a_patient_a_login(as_role, rol):
    paciente = PacienteFactory(user=None)
    credentials = {"username": "nuevo.login", "password": "clave-segura-2026"}
    response = as_role(rol).post(f"/admin/pacientes/{paciente.pk}/usuario", credentials, format="json")
    assert response.status_code in {403, 404}
    assert not User.objects.filter(username="nuevo.login").exists()


def test_a_username_without_a_password_is_400(as_role):
    response = as_role("admin").post("/admin/pacientes", {**WALK_IN, "username": "rosa.v"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "username"
    assert not Paciente.objects.exists()


@pytest.mark.parametrize(
    "documento",
    ["12345678A", "X1234567A", "1234567Z", "Z12345678", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18Z"],
)
def test_a_documento_with_a_wrong_check_letter_or_shape_is_400(as_role, documento):
    response = as_role("secretaria").post(
        "/admin/pacientes", {**WALK_IN, "documento": documento}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "documento_invalido"
    assert not Paciente.objects.exists()


def test_the_same_documento_twice_is_409_and_writes_nothing(as_role):
    client = as_role("secretaria")
    assert client.post("/admin/pacientes", WALK_IN, format="json").status_code == 201
    again = {
        **WALK_IN,
        "nombre": "Rosa Vidal Pons",
        "documento": "12.345.678 Z",
        "username": "rv",
        "password": "clave-segura-2026",
    }
    response = client.post("/admin/pacientes", again, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "paciente_duplicado"
    assert Paciente.objects.count() == 1
    assert not User.objects.filter(username="rv").exists()
    other = PacienteFactory()
    patch = client.patch(f"/admin/pacientes/{other.pk}", {"documento": "12345678Z"}, format="json")
    assert patch.status_code == 409


def test_patients_are_found_by_name_phone_or_documento(as_role):
    rosa = PacienteFactory(nombre="Rosa Vidal", telefono="+34 611 222 333", documento="12345678Z")
    PacienteFactory(nombre="Luis Gil", telefono="+34 622 000 000", documento="X1234567L")
    client = as_role("secretaria")
    for term in ("vidal", "611 222", "12345678Z"):
        found = client.get(f"/admin/pacientes?search={term}").json()["results"]
        assert [p["id_paciente"] for p in found] == [rosa.pk], term


def test_a_date_of_birth_in_the_future_is_400(as_role):
    response = as_role("admin").post(
        "/admin/pacientes", {**WALK_IN, "fecha_nacimiento": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "fecha_nacimiento"


@pytest.mark.parametrize("path", ["pacientes", "doctores", "centros"])
def test_registry_records_are_deactivated_never_deleted(as_role, path):
    record = {"pacientes": PacienteFactory, "doctores": DoctorFactory, "centros": CentroFactory}[path]()
    response = as_role("admin").delete(f"/admin/{path}/{record.pk}")
    assert response.status_code == 405
    assert type(record).objects.filter(pk=record.pk).exists()
    field = "estado" if path == "pacientes" else "activo"
    value = "INACTIVO" if path == "pacientes" else False
    assert (
        as_role("admin").patch(f"/admin/{path}/{record.pk}", {field: value}, format="json").status_code == 200
    )
