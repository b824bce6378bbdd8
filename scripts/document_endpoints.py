#!/usr/bin/env python
"""Tour every endpoint of both deployables and write what each answered to docs/endpoints.md.

    .venv/bin/python scripts/document_endpoints.py [--gestion-url URL] [--citas-url URL]
        [--admin-username admin] [--admin-password ...] [--out docs/endpoints.md]

Run it against running deployables (./scripts/dev) with an admin account. Each step records the method and
full route, the role that called it, the JSON request, and the status and JSON response: the main success
of every endpoint and its main errors. It creates its own records, named with a run tag, so it can run
against a database that already holds data. Needs only `requests`.
"""

import argparse
import datetime as dt
import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = (5, 30)
LIST_ITEMS_SHOWN = 2


@dataclass
class Step:
    title: str
    role: str
    method: str
    url: str
    body: Any
    status: int
    response: Any


@dataclass
class Tour:
    gestion: str
    citas: str
    session: requests.Session = field(default_factory=requests.Session)
    tokens: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def call(
        self,
        title: str,
        role: str,
        method: str,
        url: str,
        body: Any = None,
        expect: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Any:
        headers = {"Accept": "application/json", **(headers or {})}
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        response = self.session.request(method, url, json=body, headers=headers, timeout=TIMEOUT)
        payload = response.json() if response.content else None
        if response.status_code != expect:
            raise SystemExit(
                f"{method} {url} as {role}: expected {expect}, got {response.status_code}: {payload}"
            )
        self.steps.append(Step(title, role, method, url, body, response.status_code, shorten(payload)))
        return payload

    def login(self, role: str, username: str, password: str) -> dict:
        body = {"username": username, "password": password}
        answer = self.call(f"Log in as {role}", "anonymous", "POST", f"{self.gestion}/auth/login", body)
        self.tokens[role] = answer["access"]
        return answer


def shorten(payload: Any) -> Any:
    """Keep long lists and tokens readable in the document."""
    if isinstance(payload, dict):
        shortened = {key: shorten(value) for key, value in payload.items()}
        if isinstance(payload.get("results"), list):
            shortened["results"] = [shorten(item) for item in payload["results"][:LIST_ITEMS_SHOWN]]
        for key in ("access", "refresh"):
            if isinstance(shortened.get(key), str):
                shortened[key] = shortened[key][:24] + "…"
        return shortened
    if isinstance(payload, list):
        return [shorten(item) for item in payload[:LIST_ITEMS_SHOWN]]
    return payload


def next_weekday_at(hour: int, days_ahead: int) -> str:
    day = dt.date.today() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour)).isoformat()


def tour_gestion(t: Tour, tag: str, admin_username: str, admin_password: str) -> dict[str, Any]:
    g = t.gestion
    t.call("Health", "anonymous", "GET", f"{g}/health")
    t.call(
        "Wrong password",
        "anonymous",
        "POST",
        f"{g}/auth/login",
        {"username": admin_username, "password": "not-the-password"},
        expect=401,
    )
    tokens = t.login("admin", admin_username, admin_password)
    t.call("Who am I", "admin", "GET", f"{g}/auth/me")
    refreshed = t.call(
        "Refresh the access token", "anonymous", "POST", f"{g}/auth/refresh", {"refresh": tokens["refresh"]}
    )
    t.call("No token", "anonymous", "GET", f"{g}/auth/me", expect=401)

    password = f"Clave-{tag}-2026"
    secretaria = {"username": f"sec.{tag}", "password": password, "rol": "secretaria"}
    t.call("Create a secretaria", "admin", "POST", f"{g}/admin/usuario", secretaria, expect=201)
    t.call("Taken username", "admin", "POST", f"{g}/admin/usuario", secretaria, expect=409)
    users = t.call("List users", "admin", "GET", f"{g}/admin/usuario?search={tag}")
    t.call("Get a user", "admin", "GET", f"{g}/admin/usuario/{users['results'][0]['id_user']}")
    t.login("secretaria", secretaria["username"], password)
    t.call(
        "Secretaria may not create users", "secretaria", "POST", f"{g}/admin/usuario", secretaria, expect=403
    )

    centro = t.call(
        "Create a centro",
        "admin",
        "POST",
        f"{g}/admin/centros",
        {"nombre": f"Clínica Dental {tag}", "direccion": "Calle Mayor 12, Madrid"},
        expect=201,
    )
    t.call(
        "Create centros in bulk: all or none",
        "admin",
        "POST",
        f"{g}/admin/centros",
        [{"nombre": f"Clínica Norte {tag}", "direccion": "Av. Norte 1"}, {"nombre": f"Clínica Sur {tag}"}],
        expect=400,
    )
    t.call("List centros", "secretaria", "GET", f"{g}/admin/centros?search={tag}")
    t.call("Get a centro", "secretaria", "GET", f"{g}/admin/centros/{centro['id_centro']}")
    t.call("Unknown centro", "secretaria", "GET", f"{g}/admin/centros/999999999", expect=404)
    t.call(
        "Change a centro",
        "admin",
        "PATCH",
        f"{g}/admin/centros/{centro['id_centro']}",
        {"direccion": "Calle Mayor 14, Madrid"},
    )

    doctor = t.call(
        "Create a doctor and its user",
        "admin",
        "POST",
        f"{g}/admin/doctores",
        {
            "nombre": f"Dra. Lucía {tag}",
            "especialidad": "Ortodoncia",
            "username": f"dr.{tag}",
            "password": password,
            "horarios": [
                {
                    "id_centro": centro["id_centro"],
                    "dia_semana": dia,
                    "hora_inicio": "09:00",
                    "hora_fin": "14:00",
                }
                for dia in range(1, 6)
            ],
        },
        expect=201,
    )
    t.call("List doctors of a speciality", "secretaria", "GET", f"{g}/admin/doctores?especialidad=ortodoncia")
    t.call("Get a doctor", "secretaria", "GET", f"{g}/admin/doctores/{doctor['id_doctor']}")
    t.call(
        "Change a doctor",
        "admin",
        "PATCH",
        f"{g}/admin/doctores/{doctor['id_doctor']}",
        {"especialidad": "Ortodoncia infantil"},
    )

    pacientes = [
        t.call(
            f"Create patient {n} and its user",
            "admin",
            "POST",
            f"{g}/admin/pacientes",
            {
                "nombre": f"Paciente {n} {tag}",
                "telefono": "+34 612 345 678",
                "username": f"p{n}.{tag}",
                "password": password,
            },
            expect=201,
        )
        for n in (1, 2)
    ]
    t.call(
        "Weak password",
        "admin",
        "POST",
        f"{g}/admin/pacientes",
        {"nombre": "Ana", "telefono": "+34 600 000 000", "username": f"ana.{tag}", "password": "12345678"},
        expect=400,
    )
    walk_in = t.call(
        "The front desk registers a patient without a login",
        "secretaria",
        "POST",
        f"{g}/admin/pacientes",
        {"nombre": f"Rosa Vidal {tag}", "telefono": "+34 600 123 456", "documento": "12345678-Z"},
        expect=201,
    )
    t.call(
        "A documento with a wrong check letter",
        "secretaria",
        "POST",
        f"{g}/admin/pacientes",
        {"nombre": "Otra Persona", "telefono": "+34 600 123 457", "documento": "12345678A"},
        expect=400,
    )
    t.call(
        "Give that patient a login later",
        "secretaria",
        "POST",
        f"{g}/admin/pacientes/{walk_in['id_paciente']}/usuario",
        {"username": f"rosa.{tag}", "password": password},
        expect=201,
    )
    t.login("paciente", f"p1.{tag}", password)
    t.login("medico", f"dr.{tag}", password)
    t.call("A patient lists only itself", "paciente", "GET", f"{g}/admin/pacientes")
    t.call("Staff list patients", "medico", "GET", f"{g}/admin/pacientes?estado=ACTIVO&search={tag}")
    t.call("Get a patient", "paciente", "GET", f"{g}/admin/pacientes/{pacientes[0]['id_paciente']}")
    t.call(
        "Another patient's record",
        "paciente",
        "GET",
        f"{g}/admin/pacientes/{pacientes[1]['id_paciente']}",
        expect=404,
    )
    t.call(
        "Secretaria changes a patient's phone",
        "secretaria",
        "PATCH",
        f"{g}/admin/pacientes/{pacientes[1]['id_paciente']}",
        {"telefono": "+34 699 000 111"},
    )
    t.call(
        "A patient's history",
        "secretaria",
        "GET",
        f"{g}/admin/pacientes/{pacientes[1]['id_paciente']}/historial",
    )
    t.call("A centro's history", "admin", "GET", f"{g}/admin/centros/{centro['id_centro']}/historial")
    t.call("A doctor's history", "medico", "GET", f"{g}/admin/doctores/{doctor['id_doctor']}/historial")
    t.call(
        "Deactivate a centro", "admin", "PATCH", f"{g}/admin/centros/{centro['id_centro']}", {"activo": False}
    )
    t.call("Reactivate it", "admin", "PATCH", f"{g}/admin/centros/{centro['id_centro']}", {"activo": True})
    t.call(
        "Deleting a patient is not offered: deactivate it",
        "admin",
        "DELETE",
        f"{g}/admin/pacientes/{pacientes[1]['id_paciente']}",
        expect=405,
    )
    sec_id = users["results"][0]["id_user"]
    t.call("Deactivate a user", "admin", "PATCH", f"{g}/admin/usuario/{sec_id}", {"is_active": False})
    t.call("Reactivate it", "admin", "PATCH", f"{g}/admin/usuario/{sec_id}", {"is_active": True})
    t.login("secretaria", secretaria["username"], password)  # deactivating revoked the tokens it had
    t.call(
        "Change my password, with a wrong current one",
        "secretaria",
        "POST",
        f"{g}/auth/password",
        {"actual": "no-es-esta", "nueva": f"Otra-{tag}-2026"},
        expect=400,
    )
    tour_agenda(t, doctor, centro)
    paciente = pacientes[0]
    ids = "&".join(
        f"{key}={record[key]}"
        for key, record in (("id_doctor", doctor), ("id_centro", centro), ("id_paciente", paciente))
    )
    t.call("What booking needs to know (internal)", "admin", "GET", f"{g}/interno/referencias?{ids}")
    window = "desde=" + next_weekday_at(0, days_ahead=30) + "&hasta=" + next_weekday_at(0, days_ahead=37)
    t.call(
        "What the free slots of a centro need (internal)",
        "admin",
        "GET",
        f"{g}/interno/agenda?id_centro={centro['id_centro']}&{window}",
    )
    t.call(
        "Internal path refused to a secretaria",
        "secretaria",
        "GET",
        f"{g}/interno/referencias?{ids}",
        expect=403,
    )
    return {
        "doctor": doctor,
        "centro": centro,
        "paciente": pacientes[0],
        "otro_paciente": pacientes[1],
        "secretaria": secretaria,
        "refresh": refreshed["refresh"],
    }


def tour_agenda(t: Tour, doctor: dict, centro: dict) -> None:
    g = t.gestion
    ids = f"id_doctor={doctor['id_doctor']}"
    t.call("A doctor's horario", "secretaria", "GET", f"{g}/admin/horarios?{ids}")
    t.call("A doctor reads its own horario", "medico", "GET", f"{g}/admin/horarios")
    saturday = {
        "id_doctor": doctor["id_doctor"],
        "id_centro": centro["id_centro"],
        "dia_semana": 6,
        "hora_inicio": "10:00",
        "hora_fin": "13:00",
        "vigente_desde": next_weekday_at(0, days_ahead=7)[:10],
    }
    horario = t.call("Add a range to a horario", "admin", "POST", f"{g}/admin/horarios", saturday, expect=201)
    t.call(
        "A range that overlaps another of the doctor's",
        "admin",
        "POST",
        f"{g}/admin/horarios",
        {**saturday, "hora_inicio": "12:00", "hora_fin": "14:00"},
        expect=409,
    )
    t.call(
        "A range that ends before it starts",
        "admin",
        "POST",
        f"{g}/admin/horarios",
        {**saturday, "hora_inicio": "14:00", "hora_fin": "13:00"},
        expect=400,
    )
    t.call(
        "Get a range",
        "medico",
        "GET",
        f"{g}/admin/horarios/{horario['id_horario']}",
    )
    t.call(
        "Change a range",
        "admin",
        "PATCH",
        f"{g}/admin/horarios/{horario['id_horario']}",
        {"hora_fin": "24:00"},
    )
    t.call("A range's history", "admin", "GET", f"{g}/admin/horarios/{horario['id_horario']}/historial")
    t.call("Delete a range", "admin", "DELETE", f"{g}/admin/horarios/{horario['id_horario']}", expect=204)
    day = next_weekday_at(0, days_ahead=31)[:10]
    ausencia = t.call(
        "A doctor's day of training",
        "admin",
        "POST",
        f"{g}/admin/ausencias",
        {
            "id_doctor": doctor["id_doctor"],
            "inicio": f"{day}T00:00:00",
            "fin": f"{day}T23:59:00",
            "motivo": "Formación",
        },
        expect=201,
    )
    t.call(
        "A centro's holiday and a doctor's leave in one batch: each needs exactly one owner",
        "admin",
        "POST",
        f"{g}/admin/ausencias",
        [
            {"id_centro": centro["id_centro"], "inicio": f"{day}T00:00:00", "fin": f"{day}T23:59:00"},
            {
                "id_doctor": doctor["id_doctor"],
                "id_centro": centro["id_centro"],
                "inicio": f"{day}T00:00:00",
                "fin": f"{day}T12:00:00",
            },
        ],
        expect=400,
    )
    t.call("Ausencias around a day", "secretaria", "GET", f"{g}/admin/ausencias?{ids}&desde={day}T00:00:00Z")
    t.call("Get an ausencia", "medico", "GET", f"{g}/admin/ausencias/{ausencia['id_ausencia']}")
    t.call(
        "Change an ausencia",
        "admin",
        "PATCH",
        f"{g}/admin/ausencias/{ausencia['id_ausencia']}",
        {"motivo": "Congreso de ortodoncia"},
    )
    t.call(
        "An ausencia's history", "admin", "GET", f"{g}/admin/ausencias/{ausencia['id_ausencia']}/historial"
    )
    t.call(
        "Delete an ausencia", "admin", "DELETE", f"{g}/admin/ausencias/{ausencia['id_ausencia']}", expect=204
    )


def tour_interno(t: Tour, made: dict[str, Any], username: str, password: str) -> None:
    """What citas asks gestion as the service account, besides what booking needs."""
    g = t.gestion
    t.login("servicio", username, password)
    t.call(
        "Whose credentials these are, for citas' staff site",
        "servicio",
        "POST",
        f"{g}/interno/credenciales",
        {"username": made["secretaria"]["username"], "password": "no-es-esta", "direccion": "192.0.2.10"},
        expect=401,
    )
    t.call(
        "Tokens revoked since an instant",
        "servicio",
        "GET",
        f"{g}/interno/revocaciones?desde=2020-01-01T00:00:00Z",
    )


def tour_citas(t: Tour, made: dict[str, Any]) -> None:
    c = t.citas
    t.call("Health", "anonymous", "GET", f"{c}/health")
    day = next_weekday_at(0, days_ahead=30)[:10]
    libres = t.call(
        "Free slots of a centro's doctors on a day",
        "paciente",
        "GET",
        f"{c}/citas/disponibilidad?id_centro={made['centro']['id_centro']}&desde={day}&hasta={day}",
    )
    t.call(
        "Free slots over more than 31 days",
        "paciente",
        "GET",
        f"{c}/citas/disponibilidad?id_centro={made['centro']['id_centro']}&desde={day}&hasta=2099-01-01",
        expect=400,
    )
    cita_body = {
        "fecha": libres["doctores"][0]["huecos"][4],
        "motivo": "Revisión anual",
        "id_doctor": made["doctor"]["id_doctor"],
        "id_centro": made["centro"]["id_centro"],
    }
    cita = t.call("A patient books for itself", "paciente", "POST", f"{c}/citas", cita_body, expect=201)
    t.call(
        "The slot is taken",
        "admin",
        "POST",
        f"{c}/citas",
        {**cita_body, "id_paciente": made["paciente"]["id_paciente"]},
        expect=409,
    )
    t.call(
        "A date in the past",
        "paciente",
        "POST",
        f"{c}/citas",
        {**cita_body, "fecha": "2020-01-07T10:00:00"},
        expect=400,
    )
    t.call(
        "Outside the doctor's horario",
        "paciente",
        "POST",
        f"{c}/citas",
        {**cita_body, "fecha": f"{day}T19:00:00"},
        expect=400,
    )
    t.call("A doctor may not book", "medico", "POST", f"{c}/citas", cita_body, expect=403)
    t.call(
        "The front desk books for a patient",
        "secretaria",
        "POST",
        f"{c}/citas",
        {
            **cita_body,
            "fecha": libres["doctores"][0]["huecos"][8],
            "id_paciente": made["otro_paciente"]["id_paciente"],
        },
        expect=201,
    )
    t.call("A patient's citas", "paciente", "GET", f"{c}/citas")
    t.call(
        "Citas found by a name",
        "secretaria",
        "GET",
        f"{c}/citas?search={made['doctor']['nombre'].split()[-1]}",
    )
    day = cita_body["fecha"][:10]
    t.call(
        "Citas of a day, for admin",
        "admin",
        "GET",
        f"{c}/citas?fecha={day}&id_doctor={made['doctor']['id_doctor']}",
    )
    t.call("Get a cita", "medico", "GET", f"{c}/citas/{cita['id_cita']}")
    changed = t.call(
        "Change a cita to another time",
        "paciente",
        "PUT",
        f"{c}/citas/{cita['id_cita']}",
        {"fecha": next_weekday_at(12, days_ahead=30)},
    )
    t.call(
        "Change a cancelled cita",
        "paciente",
        "PUT",
        f"{c}/citas/{cita['id_cita']}",
        {"fecha": next_weekday_at(16, days_ahead=30)},
        expect=409,
    )
    new_id = changed["cita"]["id_cita"]
    t.call("The patient confirms", "paciente", "POST", f"{c}/citas/{new_id}/confirmar")
    t.call(
        "Arrival is on the cita's day only",
        "secretaria",
        "POST",
        f"{c}/citas/{new_id}/llegada",
        expect=409,
    )
    t.call(
        "Only a patient in the waiting room is completed",
        "medico",
        "POST",
        f"{c}/citas/{new_id}/completar",
        expect=409,
    )
    t.call(
        "A no-show only after its time", "secretaria", "POST", f"{c}/citas/{new_id}/no-asistio", expect=409
    )
    t.call(
        "Citas changed since an instant", "admin", "GET", f"{c}/citas?actualizada_desde=2020-01-01T00:00:00Z"
    )
    t.call(
        "A booking sent with an Idempotency-Key",
        "admin",
        "POST",
        f"{c}/citas",
        {
            **cita_body,
            "fecha": libres["doctores"][0]["huecos"][16],
            "id_paciente": made["otro_paciente"]["id_paciente"],
        },
        expect=201,
        headers={"Idempotency-Key": f"tour-{new_id}"},
    )
    t.call(
        "Cancel a cita",
        "secretaria",
        "PUT",
        f"{c}/citas/{new_id}",
        {"estado": "CANCELADA", "motivo_cancelacion": "El paciente avisa"},
    )
    t.call("Cancel it again", "secretaria", "PUT", f"{c}/citas/{new_id}", {"estado": "CANCELADA"}, expect=409)
    t.call("The messages to the patient about it", "secretaria", "GET", f"{c}/citas/{new_id}/notificaciones")
    t.call("My calendar feed's private URL", "paciente", "GET", f"{c}/citas/calendario")
    t.call("Revoke my calendar feed", "paciente", "DELETE", f"{c}/citas/calendario", expect=204)
    t.call("Delete a cita", "admin", "DELETE", f"{c}/citas/{new_id}", expect=204)
    t.call("A deleted cita", "admin", "GET", f"{c}/citas/{new_id}", expect=404)
    t.call("Its history, booked to deleted", "admin", "GET", f"{c}/citas/{new_id}/historial")
    t.call("Deleted citas", "admin", "GET", f"{c}/citas/eliminadas?desde=2020-01-01T00:00:00Z")


def render(t: Tour) -> str:
    lines = [
        "# OdontoCare endpoints",
        "",
        "Written by `scripts/document_endpoints.py` from a tour of both deployables (gestion on "
        f"`{t.gestion}`, citas on `{t.citas}`): for each call, the method and full route, the role that "
        "made it, the JSON request and the JSON answer. Tokens are cut short; lists show their first items.",
        "",
    ]
    for step in t.steps:
        lines += [f"## {step.method} {step.url}", "", f"{step.title}. Role: **{step.role}**.", ""]
        if step.body is not None:
            lines += [
                "Request:",
                "",
                "```json",
                json.dumps(step.body, ensure_ascii=False, indent=2),
                "```",
                "",
            ]
        lines += [f"Answer: **{step.status}**", ""]
        if step.response is not None:
            lines += ["```json", json.dumps(step.response, ensure_ascii=False, indent=2), "```", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gestion-url", default="http://127.0.0.1:8000")
    parser.add_argument("--citas-url", default="http://127.0.0.1:8001")
    parser.add_argument("--admin-username", default="admin")
    parser.add_argument("--admin-password", default="odontocare-dev-admin")
    parser.add_argument("--service-username", default="servicio-citas")
    parser.add_argument("--service-password", default="odontocare-dev-servicio")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "endpoints.md")
    args = parser.parse_args()
    tour = Tour(gestion=args.gestion_url.rstrip("/"), citas=args.citas_url.rstrip("/"))
    tag = uuid.uuid4().hex[:6]
    made = tour_gestion(tour, tag, args.admin_username, args.admin_password)
    tour_interno(tour, made, args.service_username, args.service_password)
    tour_citas(tour, made)
    tour.call("Log out", "admin", "POST", f"{tour.gestion}/auth/logout", {"refresh": made["refresh"]})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(tour), encoding="utf-8")
    print(f"{len(tour.steps)} calls written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
