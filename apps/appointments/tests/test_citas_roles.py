"""The citas role table, row by row: the cells that test_citas_api leaves open.
Every refused write also proves that the citas table is exactly as it was."""

import pytest

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import OTRO_PACIENTE, ROLES, en
from apps.common.tests.test_json_everywhere import assert_json_error

pytestmark = pytest.mark.django_db

CANCEL = {"estado": "CANCELADA", "motivo_cancelacion": "No puedo ir"}
CHANGE = {"fecha": en(days=3, hour=12), "motivo": "Otra hora"}
BODIES = {"cancel": CANCEL, "change": CHANGE}
REFUSAL_CODES = {401: "not_authenticated", 403: "permission_denied"}


def every_cita() -> list[dict]:
    """The whole citas table, every column, in a stable order."""
    return list(Cita.objects.order_by("pk").values())


@pytest.mark.parametrize(("rol", "status"), [(None, 401), ("servicio", 403), ("secretaria", 200)])
def test_who_reads_a_cita_by_id(as_role, cita, rol, status):
    response = as_role(rol).get(f"/citas/{cita['id_cita']}")
    if status == 200:
        assert response.status_code == 200
        assert response.json() == cita
    else:
        assert_json_error(response, status, REFUSAL_CODES[status])


@pytest.mark.parametrize(
    ("rol", "body", "status"),
    [
        (None, "cancel", 401),
        (None, "change", 401),
        ("servicio", "cancel", 403),
        ("servicio", "change", 403),
        ("medico", "change", 403),  # the cita is this doctor's own: changing is still not a doctor's job
    ],
)
def test_only_patients_secretaria_and_admin_cancel_or_change_citas(as_role, cita, rol, body, status):
    before = every_cita()
    response = as_role(rol).put(f"/citas/{cita['id_cita']}", BODIES[body], format="json")
    assert_json_error(response, status, REFUSAL_CODES[status])
    assert every_cita() == before


def test_secretaria_changes_any_patients_cita(as_role, cita):
    response = as_role("secretaria").put(f"/citas/{cita['id_cita']}", CHANGE, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["cita"]["id_cita_anterior"] == cita["id_cita"]
    assert (body["cita"]["estado"], body["cita"]["motivo"]) == ("PROGRAMADA", CHANGE["motivo"])
    assert body["cita"]["id_paciente"] == cita["id_paciente"]
    assert body["cita_anterior"]["estado"] == "CANCELADA"
    assert Cita.objects.count() == 2
    assert Cita.objects.get(pk=cita["id_cita"]).estado == "CANCELADA"


@pytest.mark.parametrize(("rol", "status"), [(None, 401)] + [(r, 403) for r in ROLES if r != "admin"])
def test_only_admin_deletes_citas(as_role, cita, rol, status):
    # The cita is the default patient's and the default doctor's own: ownership grants no deletion.
    before = every_cita()
    response = as_role(rol).delete(f"/citas/{cita['id_cita']}")
    assert_json_error(response, status, REFUSAL_CODES[status])
    assert every_cita() == before


@pytest.mark.parametrize("body", ["cancel", "change"])
def test_patient_cannot_cancel_or_change_another_patients_cita_nor_add_one(as_role, cita, body):
    before = every_cita()
    response = as_role("paciente", id_paciente=OTRO_PACIENTE).put(
        f"/citas/{cita['id_cita']}", BODIES[body], format="json"
    )
    assert_json_error(response, 404, "not_found")
    assert Cita.objects.count() == len(before)
    assert every_cita() == before
