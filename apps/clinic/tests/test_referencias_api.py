import pytest

from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import CentroFactory, DoctorFactory, PacienteFactory
from apps.common.roles import Rol

pytestmark = pytest.mark.django_db


def test_service_reads_what_booking_needs_in_one_answer(as_role):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory(estado="INACTIVO")
    query = f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
    response = as_role("servicio").get(f"/interno/referencias?{query}")
    assert response.status_code == 200
    assert response.json() == {
        "doctor": {"id_doctor": doctor.pk, "nombre": doctor.nombre, "especialidad": doctor.especialidad},
        "centro": {"id_centro": centro.pk, "nombre": centro.nombre},
        "paciente": {"id_paciente": paciente.pk, "nombre": paciente.nombre, "estado": "INACTIVO"},
    }


def test_missing_records_are_null(as_role):
    response = as_role("servicio").get("/interno/referencias?id_doctor=7&id_centro=8&id_paciente=9")
    assert response.json() == {"doctor": None, "centro": None, "paciente": None}


def test_non_integer_id_is_400(as_role):
    response = as_role("servicio").get("/interno/referencias?id_doctor=x&id_centro=1&id_paciente=1")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "id_doctor"


@pytest.mark.parametrize(
    ("rol", "status"), [(None, 401), ("secretaria", 403), ("medico", 403), ("paciente", 403)]
)
def test_only_the_service_and_admin_use_the_internal_path(as_role, rol, status):
    assert (
        as_role(rol).get("/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1").status_code == status
    )


def test_role_matrices_cover_every_role():
    assert set(ROLES) == set(Rol.values)
