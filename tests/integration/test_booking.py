"""Booking across both deployables: citas asks gestion over HTTP, as real gunicorn processes."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration.registry import PASSWORD, futuro, registrar

pytestmark = pytest.mark.integration


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_create_book_list_change_cancel(deployables, admin_headers):
    gestion, citas = deployables.gestion_url, deployables.citas_url
    made = registrar(gestion, admin_headers)
    paciente = bearer(deployables.login(made.paciente_username, PASSWORD))
    doctor = bearer(deployables.login(made.doctor_username, PASSWORD))

    booked = requests.post(
        f"{citas}/citas",
        json={
            "fecha": futuro(hour=9),
            "motivo": "Limpieza",
            "id_doctor": made.id_doctor,
            "id_centro": made.id_centro,
        },
        headers=paciente,
        timeout=30,
    )
    assert booked.status_code == 201, booked.text
    cita = booked.json()
    assert (cita["id_paciente"], cita["estado"]) == (made.id_paciente, "PROGRAMADA")

    for who in (paciente, doctor):
        listed = requests.get(f"{citas}/citas", headers=who, timeout=30).json()
        assert [c["id_cita"] for c in listed["results"]] == [cita["id_cita"]]

    changed = requests.put(
        f"{citas}/citas/{cita['id_cita']}", json={"fecha": futuro(hour=11)}, headers=paciente, timeout=30
    )
    assert changed.status_code == 200, changed.text
    nueva = changed.json()["cita"]
    assert nueva["id_cita_anterior"] == cita["id_cita"]
    assert changed.json()["cita_anterior"]["estado"] == "CANCELADA"

    cancelled = requests.put(
        f"{citas}/citas/{nueva['id_cita']}", json={"estado": "CANCELADA"}, headers=admin_headers, timeout=30
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["cita"]["estado"] == "CANCELADA"


def test_an_inactive_patient_cannot_book(deployables, admin_headers):
    made = registrar(deployables.gestion_url, admin_headers)
    requests.patch(
        f"{deployables.gestion_url}/admin/pacientes/{made.id_paciente}",
        json={"estado": "INACTIVO"},
        headers=admin_headers,
        timeout=30,
    )
    body = {
        "fecha": futuro(),
        "id_doctor": made.id_doctor,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }
    response = requests.post(f"{deployables.citas_url}/citas", json=body, headers=admin_headers, timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "paciente_inactivo"


def test_unknown_doctor_is_400_naming_the_field(deployables, admin_headers):
    made = registrar(deployables.gestion_url, admin_headers)
    body = {
        "fecha": futuro(),
        "id_doctor": 987654,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }
    response = requests.post(f"{deployables.citas_url}/citas", json=body, headers=admin_headers, timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "id_doctor"


def test_fifty_parallel_bookings_of_one_slot_give_one_cita(deployables, admin_headers):
    made = registrar(deployables.gestion_url, admin_headers)
    body = {
        "fecha": futuro(days=5, hour=12),
        "id_doctor": made.id_doctor,
        "id_centro": made.id_centro,
        "id_paciente": made.id_paciente,
    }

    def book(_):
        return requests.post(f"{deployables.citas_url}/citas", json=body, headers=admin_headers, timeout=60)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(book, range(50)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49, {s: statuses.count(s) for s in set(statuses)}
    assert all(r.headers["Content-Type"] == "application/json" for r in responses)
    listed = requests.get(
        f"{deployables.citas_url}/citas?id_doctor={made.id_doctor}", headers=admin_headers, timeout=30
    ).json()
    assert listed["count"] == 1
    assert deployables.citas_stored(id_doctor=made.id_doctor) == 1


def test_change_into_a_taken_slot_keeps_the_old_cita_and_15_minutes_later_succeeds(
    deployables, admin_headers
):
    made = registrar(deployables.gestion_url, admin_headers)
    citas = deployables.citas_url

    def book(fecha: str) -> dict:
        body = {
            "fecha": fecha,
            "id_doctor": made.id_doctor,
            "id_centro": made.id_centro,
            "id_paciente": made.id_paciente,
        }
        response = requests.post(f"{citas}/citas", json=body, headers=admin_headers, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    mine, taken = book(futuro(days=6, hour=9)), book(futuro(days=6, hour=16))
    refused = requests.put(
        f"{citas}/citas/{mine['id_cita']}", json={"fecha": taken["fecha"]}, headers=admin_headers, timeout=30
    )
    assert refused.status_code == 409
    still = requests.get(f"{citas}/citas/{mine['id_cita']}", headers=admin_headers, timeout=30).json()
    assert still["estado"] == "PROGRAMADA"

    moved = requests.put(
        f"{citas}/citas/{mine['id_cita']}",
        json={"fecha": futuro(days=6, hour=9, minute=15)},
        headers=admin_headers,
        timeout=30,
    )
    assert moved.status_code == 200, moved.text


def test_citas_accepts_gestions_tokens_holding_only_the_public_key(deployables, admin_headers):
    assert "JWT_PRIVATE_KEY_PATH" not in deployables.citas_env
    response = requests.get(f"{deployables.citas_url}/citas", headers=admin_headers, timeout=30)
    assert response.status_code == 200
    forged = admin_headers["Authorization"][:-4] + "AAAA"
    assert (
        requests.get(
            f"{deployables.citas_url}/citas", headers={"Authorization": forged}, timeout=30
        ).status_code
        == 401
    )
