"""Input that only looks right is refused: dates in other digits or with a NUL, numbers for text."""

import pytest

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fecha",
    [
        "2034-01-01T10:00:00\u0000",
        "\uff12\uff10\uff13\uff14-01-01T10:00:00",  # full-width digits
        "2034-01-01T\u0661\u0660:00:00",  # Arabic-Indic digits
        20340101,
    ],
)
def test_a_fecha_that_is_not_plain_iso_text_is_400(as_role, gestion_fake, cita_body, fecha):
    response = book(as_role("admin"), cita_body, fecha=fecha)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "fecha"
    assert not Cita.objects.exists()


def test_a_number_for_the_motivo_is_400(as_role, gestion_fake, cita_body):
    response = book(as_role("admin"), cita_body, motivo=0)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "motivo"


@pytest.mark.parametrize(
    "query", ["fecha=\uff12\uff10\uff13\uff14-01-01", "fecha_desde=2034-01-01T00:00:00%00"]
)
def test_filters_take_plain_dates_only(as_role, gestion_fake, query):
    response = as_role("admin").get(f"/citas?{query}")
    assert response.status_code == 400


def test_a_cita_id_in_other_digits_is_not_found(as_role, gestion_fake, cita_body):
    cita = book(as_role("admin"), cita_body).json()
    assert as_role("admin").get(f"/citas/{cita['id_cita']}").status_code == 200
    response = as_role("admin").get("/citas/\u0661")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
