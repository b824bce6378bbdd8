"""Typed clients generated from the OpenAPI schemas work against the running deployables."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from dateutil.parser import isoparse

from tests.integration.registry import PASSWORD, futuro, registrar

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    out = tmp_path_factory.mktemp("clients")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_clients.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(out))
    try:
        yield (
            importlib.import_module("odontocare_gestion_client"),
            importlib.import_module("odontocare_citas_client"),
        )
    finally:
        sys.path.remove(str(out))


def test_generated_clients_log_in_create_book_list_change_and_cancel(clients, deployables, admin_headers):
    gestion_client, citas_client = clients
    from odontocare_citas_client.api.citas import citas_create, citas_disponibilidad, citas_list, citas_update
    from odontocare_citas_client.models import CitaCambiarRequest, CitaCrearRequest
    from odontocare_citas_client.types import Unset
    from odontocare_gestion_client.api.admin import admin_centros_create
    from odontocare_gestion_client.api.auth import auth_login
    from odontocare_gestion_client.models import CentroRequest, LoginRequest

    anonymous = gestion_client.Client(base_url=deployables.gestion_url)
    login = auth_login.sync(
        client=anonymous,
        body=LoginRequest(username=deployables.admin_username, password=deployables.admin_password),
    )
    admin = gestion_client.AuthenticatedClient(base_url=deployables.gestion_url, token=login.access)
    centro = admin_centros_create.sync(
        client=admin, body=CentroRequest(nombre=f"Clínica {login.access[-8:]}", direccion="Calle Generada 1")
    )
    assert centro.id_centro > 0

    made = registrar(deployables.gestion_url, admin_headers)
    paciente_login = auth_login.sync(
        client=anonymous, body=LoginRequest(username=made.paciente_username, password=PASSWORD)
    )
    paciente = citas_client.AuthenticatedClient(base_url=deployables.citas_url, token=paciente_login.access)
    day = isoparse(futuro(days=9)).date()
    libres = citas_disponibilidad.sync(client=paciente, id_centro=made.id_centro, desde=day, hasta=day)
    [doctor] = [d for d in libres.doctores if d.id_doctor == made.id_doctor]
    cita = citas_create.sync(
        client=paciente,
        body=CitaCrearRequest(fecha=doctor.huecos[40], id_doctor=made.id_doctor, id_centro=made.id_centro),
    )
    assert cita.estado.value == "PROGRAMADA"
    listed = citas_list.sync(client=paciente)
    assert [c.id_cita for c in listed.results] == [cita.id_cita]
    changed = citas_update.sync(
        cita.id_cita, client=paciente, body=CitaCambiarRequest.from_dict({"fecha": futuro(days=10)})
    )
    assert changed.cita_anterior.id_cita == cita.id_cita
    assert changed.cita.id_cita_anterior == cita.id_cita
    answer = citas_update.sync(
        changed.cita.id_cita, client=paciente, body=CitaCambiarRequest.from_dict({"estado": "CANCELADA"})
    )
    assert answer.cita.estado.value == "CANCELADA"
    assert isinstance(answer.cita_anterior, Unset)
