"""GET /citas/disponibilidad and the agenda rules of booking, over the API, against an in-memory gestion."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.appointments.gateway import use_gestion
from apps.appointments.gateway.fake import FakeGestion
from apps.appointments.models import Cita
from apps.appointments.tests.conftest import book

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
DRA, DR_OTRO, CENTRO_A, CENTRO_B, ANA, LUIS = 30, 31, 10, 11, 50, 51
WEEKDAYS = range(1, 6)


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID)


@pytest.fixture
def clinic():
    """Dra. works Mon-Fri 09:00-14:00 at centro A and Tue 16:00-20:00 at centro B; on Wednesday of the first
    week she is away, on Thursday of the second week centro A is closed."""
    fake = FakeGestion()
    fake.add_doctor(DRA, nombre="Dra. Ana Ruiz", especialidad="Ortodoncia")
    fake.add_doctor(DR_OTRO, nombre="Dr. Luis Gil", especialidad="Endodoncia")
    fake.add_centro(CENTRO_A, nombre="Clínica A")
    fake.add_centro(CENTRO_B, nombre="Clínica B")
    fake.add_paciente(ANA)
    fake.add_paciente(LUIS)
    fake.add_horario(DRA, CENTRO_A, WEEKDAYS, "09:00", "14:00")
    fake.add_horario(DRA, CENTRO_B, 2, "16:00", "20:00")
    fake.add_horario(DR_OTRO, CENTRO_B, WEEKDAYS, "09:00", "20:00")
    monday = next_monday()
    fake.leave = monday + timedelta(days=2)
    fake.holiday = monday + timedelta(days=10)
    fake.add_ausencia(local(fake.leave, 0), local(fake.leave + timedelta(days=1), 0), id_doctor=DRA)
    fake.add_ausencia(local(fake.holiday, 0), local(fake.holiday + timedelta(days=1), 0), id_centro=CENTRO_A)
    fake.monday = monday
    with use_gestion(fake):
        yield fake


def disponibilidad(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(f"/citas/disponibilidad?{query}")


def expected_starts(clinic, centro: int, booked: tuple[datetime, datetime]) -> list[str]:
    """The free starts of the two weeks, worked out by hand from the fixture's description."""
    starts = []
    for offset in range(14):
        day = clinic.monday + timedelta(days=offset)
        if day == clinic.leave or (centro == CENTRO_A and day == clinic.holiday):
            continue
        if centro == CENTRO_A and day.isoweekday() in WEEKDAYS:
            first, last = 9 * 60, 14 * 60
        elif centro == CENTRO_B and day.isoweekday() == 2:
            first, last = 16 * 60, 20 * 60
        else:
            continue
        for minute in range(first, last - 30 + 1, 15):
            start = local(day, minute // 60, minute % 60)
            if start < booked[1] and booked[0] < start + timedelta(minutes=30):
                continue
            starts.append(start.isoformat())
    return starts


def test_two_weeks_of_a_doctor_at_two_centros(as_role, clinic):
    admin = as_role("admin")
    booked_at = local(clinic.monday + timedelta(days=1), 10)  # Tuesday of the first week, centro A
    body = {"fecha": booked_at.isoformat(), "id_doctor": DRA, "id_centro": CENTRO_A, "id_paciente": ANA}
    assert book(admin, body).status_code == 201
    booked = (booked_at, booked_at + timedelta(minutes=30))
    desde, hasta = clinic.monday, clinic.monday + timedelta(days=13)
    for centro in (CENTRO_A, CENTRO_B):
        response = disponibilidad(admin, id_centro=centro, desde=desde, hasta=hasta, id_doctor=DRA)
        assert response.status_code == 200, response.json()
        answer = response.json()
        assert (answer["id_centro"], answer["duracion_minutos"]) == (centro, 30)
        [doctor] = answer["doctores"]
        assert (doctor["id_doctor"], doctor["nombre"], doctor["especialidad"]) == (
            DRA,
            "Dra. Ana Ruiz",
            "Ortodoncia",
        )
        assert doctor["huecos"] == expected_starts(clinic, centro, booked)

        # Every listed start can be booked (and is freed again for the next one).
        for hueco in doctor["huecos"]:
            booking = book(admin, {**body, "fecha": hueco, "id_centro": centro, "id_paciente": LUIS})
            assert booking.status_code == 201, (hueco, booking.json())
            assert admin.delete(f"/citas/{booking.json()['id_cita']}").status_code == 204


@pytest.mark.parametrize(
    ("when", "centro", "code"),
    [
        (lambda c: local(c.monday, 8, 45), CENTRO_A, "fuera_de_horario"),  # before the range
        (lambda c: local(c.monday, 13, 45), CENTRO_A, "fuera_de_horario"),  # runs past its end
        (lambda c: local(c.monday, 16), CENTRO_B, "fuera_de_horario"),  # Monday: not at B
        (lambda c: local(c.monday + timedelta(days=5), 10), CENTRO_A, "fuera_de_horario"),  # Saturday
        (lambda c: local(c.leave, 10), CENTRO_A, "fuera_de_horario"),  # the doctor's ausencia
        (lambda c: local(c.holiday, 10), CENTRO_A, "fuera_de_horario"),  # the centro's holiday
    ],
)
def test_a_booking_outside_the_doctors_horario_there_is_400(as_role, clinic, when, centro, code):
    body = {"fecha": when(clinic).isoformat(), "id_doctor": DRA, "id_centro": centro, "id_paciente": ANA}
    response = book(as_role("admin"), body)
    assert response.status_code == 400
    assert (response.json()["errors"][0]["code"], response.json()["errors"][0]["attr"]) == (code, "fecha")
    assert not Cita.objects.exists()


def test_a_doctor_without_a_horario_at_a_centro_cannot_be_booked_there(as_role, clinic):
    body = {"fecha": local(clinic.monday, 10).isoformat(), "id_doctor": DR_OTRO, "id_centro": CENTRO_A}
    response = book(as_role("admin"), {**body, "id_paciente": ANA})
    assert response.json()["errors"][0]["code"] == "fuera_de_horario"


def test_notice_and_horizon_are_the_centros(as_role, clinic):
    clinic.add_centro(
        CENTRO_A, nombre="Clínica A", antelacion_minima_minutos=7 * 24 * 60 + 600, horizonte_dias=9
    )
    admin = as_role("admin")
    body = {"id_doctor": DRA, "id_centro": CENTRO_A, "id_paciente": ANA}
    # The first weekday after today, when she works there: at most three days ahead.
    soon = timezone.localdate() + timedelta(days=1)
    while soon.isoweekday() not in WEEKDAYS:
        soon += timedelta(days=1)
    too_soon = book(admin, {**body, "fecha": local(soon, 10).isoformat()})
    too_far = book(admin, {**body, "fecha": local(clinic.monday + timedelta(days=14), 10).isoformat()})
    assert too_soon.json()["errors"][0]["code"] == "antelacion_insuficiente"
    assert too_far.json()["errors"][0]["code"] == "fuera_de_horizonte"
    assert (too_soon.status_code, too_far.status_code) == (400, 400)
    assert not Cita.objects.exists()


def test_a_patient_with_another_doctor_at_that_time_is_409(as_role, clinic):
    admin = as_role("admin")
    tuesday = clinic.monday + timedelta(days=1)
    first = {
        "fecha": local(tuesday, 17).isoformat(),
        "id_doctor": DRA,
        "id_centro": CENTRO_B,
        "id_paciente": ANA,
    }
    assert book(admin, first).status_code == 201
    clash = {**first, "fecha": local(tuesday, 17, 15).isoformat(), "id_doctor": DR_OTRO}
    response = book(admin, clash)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "paciente_ocupado"
    assert Cita.objects.count() == 1


def test_a_change_follows_the_agenda_too(as_role, clinic):
    admin = as_role("admin")
    body = {
        "fecha": local(clinic.monday, 10).isoformat(),
        "id_doctor": DRA,
        "id_centro": CENTRO_A,
        "id_paciente": ANA,
    }
    cita = book(admin, body).json()
    response = admin.put(
        f"/citas/{cita['id_cita']}", {"fecha": local(clinic.monday, 15).isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "fuera_de_horario"
    assert Cita.objects.get().estado == "PROGRAMADA"


def test_one_doctor_or_one_especialidad_or_every_doctor_of_the_centro(as_role, clinic):
    client = as_role("paciente", id_paciente=ANA)
    day = clinic.monday + timedelta(days=1)
    everyone = disponibilidad(client, id_centro=CENTRO_B, desde=day, hasta=day).json()
    assert [d["id_doctor"] for d in everyone["doctores"]] == [DRA, DR_OTRO]
    endo = disponibilidad(client, id_centro=CENTRO_B, desde=day, hasta=day, especialidad="endodoncia").json()
    assert [d["id_doctor"] for d in endo["doctores"]] == [DR_OTRO]
    hour = disponibilidad(
        client, id_centro=CENTRO_B, desde=day, hasta=day, id_doctor=DRA, duracion_minutos=60
    )
    assert hour.json()["duracion_minutos"] == 60
    assert hour.json()["doctores"][0]["huecos"][-1] == local(day, 19).isoformat()


def test_availability_asks_gestion_once(as_role, clinic):
    as_role("admin").get("/citas")  # the revocations are asked for every few seconds, not per request
    calls = clinic.calls
    disponibilidad(
        as_role("secretaria"),
        id_centro=CENTRO_A,
        desde=clinic.monday,
        hasta=clinic.monday + timedelta(days=30),
    )
    assert clinic.calls == calls + 1


def test_a_booking_asks_gestion_once(as_role, clinic):
    as_role("admin").get("/citas")  # the revocations are asked for every few seconds, not per request
    calls = clinic.calls
    body = {
        "fecha": local(clinic.monday, 10).isoformat(),
        "id_doctor": DRA,
        "id_centro": CENTRO_A,
        "id_paciente": ANA,
    }
    assert book(as_role("admin"), body).status_code == 201
    assert clinic.calls == calls + 1


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"desde": "2031-01-01", "hasta": "2031-02-01"}, "hasta"),  # 32 days
        ({"desde": "2031-01-02", "hasta": "2031-01-01"}, "hasta"),
        ({"desde": "2031-01-01"}, "hasta"),
        ({"desde": "2031-13-01", "hasta": "2031-01-01"}, "desde"),
        ({"desde": "2031-01-01", "hasta": "2031-01-01", "duracion_minutos": 4}, "duracion_minutos"),
        ({"desde": "2031-01-01", "hasta": "2031-01-01", "id_centro": 999}, "id_centro"),
    ],
)
def test_a_bad_question_is_400_naming_the_parameter(as_role, clinic, params, attr):
    response = disponibilidad(as_role("admin"), **{"id_centro": CENTRO_A, **params})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_availability_needs_a_login_and_gestion(as_role, clinic, api_client):
    assert (
        disponibilidad(api_client, id_centro=CENTRO_A, desde="2031-01-01", hasta="2031-01-01").status_code
        == 401
    )
    clinic.disponible = False
    response = disponibilidad(as_role("medico"), id_centro=CENTRO_A, desde="2031-01-01", hasta="2031-01-01")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "servicio_no_disponible"


def next_dst_sunday(month: int) -> date:
    """The next last Sunday of March or October: the days the clocks change in Madrid."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = date(year, month, 31)
        day -= timedelta(days=day.isoweekday() % 7)
        if day > today + timedelta(days=7):
            return day
    raise AssertionError("unreachable")


@pytest.mark.parametrize("month", [3, 10], ids=["spring", "autumn"])
def test_the_daylight_saving_sundays_offer_the_usual_local_slots(as_role, clinic, month):
    clinic.add_centro(CENTRO_A, nombre="Clínica A", horizonte_dias=3650)
    clinic.add_horario(DRA, CENTRO_A, 7, "09:00", "14:00")
    sunday = next_dst_sunday(month)
    ordinary = sunday - timedelta(days=7)
    client = as_role("admin")

    def wall_times(day: date) -> list[str]:
        answer = disponibilidad(client, id_centro=CENTRO_A, desde=day, hasta=day, id_doctor=DRA).json()
        return [hueco[11:16] for hueco in answer["doctores"][0]["huecos"]]

    assert wall_times(sunday) == wall_times(ordinary)
    assert wall_times(sunday)[0] == "09:00" and wall_times(sunday)[-1] == "13:30"
