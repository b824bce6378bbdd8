"""Records made over gestion's API for the cross-deployable tests, each with a unique name."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import requests

PASSWORD = "clave-de-prueba-2026"


@dataclass
class Registro:
    id_doctor: int
    id_centro: int
    id_paciente: int
    paciente_username: str
    doctor_username: str


ROUND_THE_CLOCK = [{"dia_semana": dia, "hora_inicio": "00:00", "hora_fin": "24:00"} for dia in range(1, 8)]


def registrar(gestion_url: str, admin_headers: dict[str, str]) -> Registro:
    """A new doctor, centro and active patient, created by the admin over the API; the doctor works at
    the centro round the clock, so that any future time can be booked."""
    tag = uuid.uuid4().hex[:8]

    def post(path: str, body: dict) -> dict:
        response = requests.post(f"{gestion_url}{path}", json=body, headers=admin_headers, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    centro = post("/admin/centros", {"nombre": f"Clínica {tag}", "direccion": f"Calle {tag}"})
    doctor = post(
        "/admin/doctores",
        {
            "nombre": f"Dra. {tag}",
            "especialidad": "Ortodoncia",
            "username": f"dr.{tag}",
            "password": PASSWORD,
            "horarios": [{"id_centro": centro["id_centro"], **rango} for rango in ROUND_THE_CLOCK],
        },
    )
    paciente = post(
        "/admin/pacientes",
        {
            "nombre": f"Paciente {tag}",
            "telefono": "+34 600 000 000",
            "username": f"p.{tag}",
            "password": PASSWORD,
        },
    )
    return Registro(
        doctor["id_doctor"], centro["id_centro"], paciente["id_paciente"], f"p.{tag}", f"dr.{tag}"
    )


def futuro(days: int = 3, hour: int = 10, minute: int = 0) -> str:
    return datetime.combine(date.today() + timedelta(days=days), time(hour, minute)).isoformat()
