"""The agenda across both deployables: horarios and ausencias in gestion, free slots and bookings in citas."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.integration.registry import PASSWORD, ROUND_THE_CLOCK

pytestmark = pytest.mark.integration

MADRID = ZoneInfo("Europe/Madrid")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID)


class Gestion:
    def __init__(self, url: str, headers: dict[str, str]):
        self.url, self.headers = url, headers

    def post(self, path: str, body) -> dict:
        response = requests.post(f"{self.url}{path}", json=body, headers=self.headers, timeout=60)
        assert response.status_code == 201, response.text
        return response.json()

    def centro(self) -> int:
        tag = uuid.uuid4().hex[:8]
        return self.post("/admin/centros", {"nombre": f"Clínica {tag}", "direccion": f"Calle {tag}"})[
            "id_centro"
        ]

    def doctores(self, horarios_por_doctor: list[list[dict]]) -> list[int]:
        tag = uuid.uuid4().hex[:8]
        body = [
            {
                "nombre": f"Dra. {tag} {index}",
                "especialidad": "Ortodoncia",
                "username": f"dr.{tag}.{index}",
                "password": PASSWORD,
                "horarios": horarios,
            }
            for index, horarios in enumerate(horarios_por_doctor)
        ]
        return [doctor["id_doctor"] for doctor in self.post("/admin/doctores", body)]

    def paciente(self) -> int:
        tag = uuid.uuid4().hex[:8]
        body = {
            "nombre": f"Paciente {tag}",
            "telefono": "+34 600 000 000",
            "username": f"p.{tag}",
            "password": PASSWORD,
        }
        return self.post("/admin/pacientes", body)["id_paciente"]


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def test_a_doctors_two_weeks_at_two_centros_over_http(deployables, admin_headers):
    gestion = Gestion(deployables.gestion_url, admin_headers)
    citas = deployables.citas_url
    centro_a, centro_b = gestion.centro(), gestion.centro()
    weekdays = [
        {"id_centro": centro_a, "dia_semana": d, "hora_inicio": "09:00", "hora_fin": "14:00"}
        for d in range(1, 6)
    ]
    tuesday_b = [{"id_centro": centro_b, "dia_semana": 2, "hora_inicio": "16:00", "hora_fin": "20:00"}]
    [doctor] = gestion.doctores([weekdays + tuesday_b])
    ana, luis = gestion.paciente(), gestion.paciente()
    monday = next_monday()
    leave, holiday = monday + timedelta(days=2), monday + timedelta(days=10)
    gestion.post(
        "/admin/ausencias",
        [
            {
                "id_doctor": doctor,
                "inicio": local(leave, 0).isoformat(),
                "fin": local(leave + timedelta(days=1), 0).isoformat(),
            },
            {
                "id_centro": centro_a,
                "inicio": local(holiday, 0).isoformat(),
                "fin": local(holiday + timedelta(days=1), 0).isoformat(),
                "motivo": "Fiesta local",
            },
        ],
    )
    booked_at = local(monday + timedelta(days=1), 10)
    cita = {"id_doctor": doctor, "id_centro": centro_a, "id_paciente": ana}
    first = requests.post(
        f"{citas}/citas", json={**cita, "fecha": booked_at.isoformat()}, headers=admin_headers, timeout=30
    )
    assert first.status_code == 201, first.text

    def expected(centro: int) -> list[str]:
        starts = []
        for offset in range(14):
            day = monday + timedelta(days=offset)
            if day == leave or (centro == centro_a and day == holiday):
                continue
            if centro == centro_a and day.isoweekday() <= 5:
                minutes = range(9 * 60, 13 * 60 + 31, 15)
            elif centro == centro_b and day.isoweekday() == 2:
                minutes = range(16 * 60, 19 * 60 + 31, 15)
            else:
                continue
            for minute in minutes:
                start = local(day, minute // 60, minute % 60)
                if not (
                    start < booked_at + timedelta(minutes=30) and booked_at < start + timedelta(minutes=30)
                ):
                    starts.append(start.isoformat())
        return starts

    for centro in (centro_a, centro_b):
        query = {
            "id_centro": centro,
            "desde": monday.isoformat(),
            "hasta": (monday + timedelta(days=13)).isoformat(),
        }
        answer = requests.get(
            f"{citas}/citas/disponibilidad", params=query, headers=admin_headers, timeout=30
        )
        assert answer.status_code == 200, answer.text
        [listed] = answer.json()["doctores"]
        assert listed["id_doctor"] == doctor
        assert listed["huecos"] == expected(centro)
        # A listed start books; a cita of another patient overlapping the first one is 409 for... the doctor.
        booking = requests.post(
            f"{citas}/citas",
            json={**cita, "id_centro": centro, "id_paciente": luis, "fecha": listed["huecos"][-1]},
            headers=admin_headers,
            timeout=30,
        )
        assert booking.status_code == 201, booking.text

    def refused(fecha: datetime, centro: int = centro_a) -> str:
        response = requests.post(
            f"{citas}/citas",
            json={**cita, "id_centro": centro, "fecha": fecha.isoformat()},
            headers=admin_headers,
            timeout=30,
        )
        assert response.status_code == 400, response.text
        return response.json()["errors"][0]["code"]

    assert refused(local(monday, 14)) == "fuera_de_horario"
    assert refused(local(leave, 10)) == "fuera_de_horario"
    assert refused(local(holiday, 10)) == "fuera_de_horario"
    assert refused(local(monday, 17), centro=centro_b) == "fuera_de_horario"

    requests.patch(
        f"{deployables.gestion_url}/admin/centros/{centro_a}",
        json={"antelacion_minima_minutos": 60 * 24 * 30, "horizonte_dias": 40},
        headers=admin_headers,
        timeout=30,
    ).raise_for_status()
    assert refused(local(monday + timedelta(days=3), 10)) == "antelacion_insuficiente"
    far_monday = monday + timedelta(weeks=8)
    assert refused(local(far_monday, 10)) == "fuera_de_horizonte"

    [other_doctor] = gestion.doctores([tuesday_b])
    clash = requests.post(
        f"{citas}/citas",
        json={
            "id_doctor": other_doctor,
            "id_centro": centro_b,
            "id_paciente": luis,
            "fecha": listed["huecos"][-1],
        },
        headers=admin_headers,
        timeout=30,
    )
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["code"] == "paciente_ocupado"


def test_fifty_parallel_bookings_of_one_patient_with_fifty_doctors_give_one_cita(deployables, admin_headers):
    gestion = Gestion(deployables.gestion_url, admin_headers)
    centro = gestion.centro()
    doctores = gestion.doctores([[{"id_centro": centro, **rango} for rango in ROUND_THE_CLOCK]] * 50)
    paciente = gestion.paciente()
    fecha = local(date.today() + timedelta(days=4), 12).isoformat()

    def book(id_doctor: int) -> requests.Response:
        body = {"fecha": fecha, "id_doctor": id_doctor, "id_centro": centro, "id_paciente": paciente}
        return requests.post(f"{deployables.citas_url}/citas", json=body, headers=admin_headers, timeout=60)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(book, doctores))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49, {s: statuses.count(s) for s in set(statuses)}
    assert {r.json()["errors"][0]["code"] for r in responses if r.status_code == 409} == {"paciente_ocupado"}
    listed = requests.get(
        f"{deployables.citas_url}/citas?id_paciente={paciente}", headers=admin_headers, timeout=30
    ).json()
    assert listed["count"] == 1
