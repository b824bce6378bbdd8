"""The registry's history: a change shows in the record's history with who made it and what changed."""

import pytest

from apps.accounts.models import User
from apps.accounts.tests.factories import UserFactory
from apps.clinic.tests.factories import CentroFactory, PacienteFactory

pytestmark = pytest.mark.django_db


def test_a_patch_shows_in_the_records_history_with_its_actor_and_before_and_after(client_for):
    admin = UserFactory(rol="admin")
    client = client_for(admin)
    created = client.post(
        "/admin/centros",
        {"nombre": "Clínica Sol", "direccion": "Calle Mayor 1"},
        format="json",
        HTTP_X_REQUEST_ID="r-1",
    ).json()
    client.patch(
        f"/admin/centros/{created['id_centro']}",
        {"intervalo_minutos": 20},
        format="json",
        HTTP_X_REQUEST_ID="r-2",
    )
    history = client.get(f"/admin/centros/{created['id_centro']}/historial").json()
    assert history["count"] == 2
    creation, change = history["results"]
    assert (creation["accion"], creation["id_user"], creation["rol"], creation["request_id"]) == (
        "creado",
        admin.pk,
        "admin",
        "r-1",
    )
    assert creation["cambios"]["nombre"] == [None, "Clínica Sol"]
    assert (change["accion"], change["request_id"]) == ("cambiado", "r-2")
    assert change["cambios"] == {"intervalo_minutos": [15, 20]}


def test_a_patients_history_is_read_as_the_patient_is(client_for):
    me, other = PacienteFactory(), PacienteFactory()
    assert client_for(me.user).get(f"/admin/pacientes/{me.pk}/historial").status_code == 200
    assert client_for(me.user).get(f"/admin/pacientes/{other.pk}/historial").status_code == 404
    assert (
        client_for(UserFactory(rol="secretaria"))
        .get(f"/admin/centros/{CentroFactory().pk}/historial")
        .status_code
        == 200
    )


def test_no_history_keeps_a_password_or_its_hash():
    user = UserFactory(password="una-clave-secreta-2026")
    user.set_password("otra-clave-secreta-2026")
    user.save()
    assert not hasattr(User.history.model, "password")
    assert User.history.filter(id_user=user.pk).count() >= 2  # the change is recorded, not the hash


def test_path_ids_are_ascii_digits(client_for):
    client = client_for(UserFactory(rol="admin"))
    centro = CentroFactory()
    assert client.get(f"/admin/centros/{centro.pk}").status_code == 200
    assert client.get("/admin/centros/\u0661").status_code == 404  # an Arabic-Indic one
