"""The registry's role table, row by row: the cells that the per-endpoint tests
(test_usuarios_api, test_centros_api, test_doctores_api, test_pacientes_api, test_referencias_api) leave open.
Every refused write also proves that the record is exactly as it was."""

import pytest

from apps.accounts.models import User
from apps.accounts.tests.factories import UserFactory
from apps.accounts.tests.test_usuarios_api import NEW_USER
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import CentroFactory, DoctorFactory, PacienteFactory
from apps.common.tests.test_json_everywhere import assert_json_error

pytestmark = pytest.mark.django_db

NON_ADMIN = [r for r in ROLES if r != "admin"]
PATIENT_CHANGE = {"nombre": "Nombre Cambiado", "telefono": "+34 699 000 111", "estado": "INACTIVO"}


def stored(record) -> dict:
    """Every column of the record as the database holds it now, its update timestamp included."""
    return type(record).objects.filter(pk=record.pk).values().get()


def documented_paciente(paciente) -> dict:
    return {
        "id_paciente": paciente.pk,
        "id_user": paciente.user_id,
        "nombre": paciente.nombre,
        "telefono": paciente.telefono,
        "estado": paciente.estado,
        "documento": paciente.documento,
        "fecha_nacimiento": paciente.fecha_nacimiento,
        "email": paciente.email,
    }


# --- Anonymous callers: 401 JSON, nothing written -----------------------------------------------------------


def test_anonymous_cannot_create_users(as_role):
    response = as_role(None).post("/admin/usuario", NEW_USER, format="json")
    assert_json_error(response, 401, "not_authenticated")
    assert not User.objects.filter(username=NEW_USER["username"]).exists()


@pytest.mark.parametrize("detail", [False, True], ids=["list", "detail"])
def test_anonymous_cannot_read_users(as_role, detail):
    user = UserFactory(username="pedro")
    path = f"/admin/usuario/{user.pk}" if detail else "/admin/usuario"
    response = as_role(None).get(path)
    assert_json_error(response, 401, "not_authenticated")
    assert "pedro" not in response.content.decode()


@pytest.mark.parametrize("detail", [False, True], ids=["list", "detail"])
def test_anonymous_cannot_read_the_doctor_directory(as_role, detail):
    doctor = DoctorFactory()
    path = f"/admin/doctores/{doctor.pk}" if detail else "/admin/doctores"
    response = as_role(None).get(path)
    assert_json_error(response, 401, "not_authenticated")
    assert doctor.nombre not in response.content.decode()


@pytest.mark.parametrize(
    ("factory", "path", "change"),
    [
        (CentroFactory, "/admin/centros", {"nombre": "Clínica Cambiada", "direccion": "Calle Nueva 1"}),
        (DoctorFactory, "/admin/doctores", {"nombre": "Dr. Cambiado", "especialidad": "Periodoncia"}),
        (PacienteFactory, "/admin/pacientes", PATIENT_CHANGE),
    ],
    ids=["centro", "doctor", "paciente"],
)
def test_anonymous_cannot_change_registry_records(as_role, factory, path, change):
    record = factory()
    before = stored(record)
    response = as_role(None).patch(f"{path}/{record.pk}", change, format="json")
    assert_json_error(response, 401, "not_authenticated")
    assert stored(record) == before


# --- Users: admin only ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rol", NON_ADMIN)
def test_only_admin_reads_a_user(as_role, rol):
    user = UserFactory(username="pedro")
    response = as_role(rol).get(f"/admin/usuario/{user.pk}")
    assert_json_error(response, 403, "permission_denied")
    assert "pedro" not in response.content.decode()


# --- Pacientes: who reads one record ----------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["admin", "secretaria", "medico", "servicio"])
def test_staff_roles_and_the_service_read_a_patients_documented_record(as_role, rol):
    paciente = PacienteFactory(estado="INACTIVO")
    response = as_role(rol).get(f"/admin/pacientes/{paciente.pk}")
    assert response.status_code == 200
    assert response.json() == documented_paciente(paciente)


def test_patient_reads_its_own_documented_record(client_for):
    me = PacienteFactory()
    PacienteFactory()
    response = client_for(me.user).get(f"/admin/pacientes/{me.pk}")
    assert response.status_code == 200
    assert response.json() == documented_paciente(me)


# --- Pacientes: who changes one record --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rol", "change"),
    [
        ("medico", PATIENT_CHANGE),
        ("servicio", PATIENT_CHANGE),
        ("medico", {"telefono": "+34 699 000 111"}),
        ("servicio", {"estado": "INACTIVO"}),
    ],
    ids=["medico-all", "servicio-all", "medico-telefono", "servicio-estado"],
)
def test_only_admin_and_secretaria_change_patients(as_role, rol, change):
    paciente = PacienteFactory()
    before = stored(paciente)
    response = as_role(rol).patch(f"/admin/pacientes/{paciente.pk}", change, format="json")
    assert_json_error(response, 403, "permission_denied")
    assert stored(paciente) == before


@pytest.mark.parametrize("whose", ["own", "another"])
def test_patient_cannot_change_any_patient_record(client_for, whose):
    # The PATCH row of the contract names admin and secretaria only: for a patient that is "role not
    # allowed" (403), whichever record it names.
    me, other = PacienteFactory(), PacienteFactory()
    target = me if whose == "own" else other
    before = {p.pk: stored(p) for p in (me, other)}
    response = client_for(me.user).patch(f"/admin/pacientes/{target.pk}", PATIENT_CHANGE, format="json")
    assert_json_error(response, 403, "permission_denied")
    assert other.nombre not in response.content.decode()
    assert {p.pk: stored(p) for p in (me, other)} == before


# --- The internal path ------------------------------------------------------------------------------------


def test_admin_reads_the_internal_referencias_like_the_service(as_role):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory()
    query = f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
    response = as_role("admin").get(f"/interno/referencias?{query}")
    assert response.status_code == 200
    assert response.json() == {
        "doctor": {
            "id_doctor": doctor.pk,
            "nombre": doctor.nombre,
            "especialidad": doctor.especialidad,
            "activo": True,
        },
        "centro": {
            "id_centro": centro.pk,
            "nombre": centro.nombre,
            "antelacion_minima_minutos": centro.antelacion_minima_minutos,
            "horizonte_dias": centro.horizonte_dias,
            "intervalo_minutos": centro.intervalo_minutos,
            "activo": True,
        },
        "paciente": {
            "id_paciente": paciente.pk,
            "nombre": paciente.nombre,
            "estado": "ACTIVO",
            "documento": None,
            "email": paciente.email,
        },
        "horarios": [],
        "ausencias": [],
    }


# --- Fields no role may change: 400 naming them, nothing written -------------------------------------------


@pytest.mark.parametrize(
    ("factory", "path", "body", "refused"),
    [
        (CentroFactory, "/admin/centros", {"id_centro": 999, "nombre": "Otra"}, ["id_centro"]),
        (
            DoctorFactory,
            "/admin/doctores",
            {"id_user": 77, "bogus": 1, "nombre": "Dr. X"},
            ["bogus", "id_user"],
        ),
        (PacienteFactory, "/admin/pacientes", {"id_user": 77, "estado": "INACTIVO"}, ["id_user"]),
        (PacienteFactory, "/admin/pacientes", {"bogus": 1}, ["bogus"]),
    ],
    ids=["centro-id", "doctor-user-and-typo", "paciente-user", "paciente-typo"],
)
def test_a_field_no_role_may_change_is_400_and_nothing_is_written(as_role, factory, path, body, refused):
    record = factory()
    before = stored(record)
    response = as_role("admin").patch(f"{path}/{record.pk}", body, format="json")
    assert response.status_code == 400
    assert sorted(error["attr"] for error in response.json()["errors"]) == refused
    assert stored(record) == before
