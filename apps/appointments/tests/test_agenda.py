"""The agenda's one function: free slots and the booking check, against an independent reckoning."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.appointments.agenda import (
    AgendaDoctor,
    AntelacionInsuficiente,
    DobleReserva,
    FechaPasada,
    FueraDeHorario,
    FueraDeHorizonte,
)
from apps.appointments.gateway import Bloqueo, CentroRef, Tramo

MADRID = ZoneInfo("Europe/Madrid")
AHORA = datetime(2027, 1, 1, 12, tzinfo=UTC)
CENTRO = CentroRef(1, "Centro", antelacion_minima_minutos=0, horizonte_dias=3650, intervalo_minutos=15)


def tramo(dia: int, desde: str, hasta: str, **vigencia) -> Tramo:
    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return Tramo(3, 1, dia, minutes(desde), minutes(hasta), **vigencia)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID)


def agenda(horarios, ausencias=(), ocupadas=(), centro=CENTRO, ahora=AHORA) -> AgendaDoctor:
    return AgendaDoctor(centro=centro, horarios=horarios, ausencias=ausencias, ocupadas=ocupadas, ahora=ahora)


def wall_clock(instants) -> list[str]:
    return [instant.astimezone(MADRID).strftime("%H:%M") for instant in instants]


def test_slots_step_from_the_start_of_each_range_and_fit_inside_it():
    monday = date(2027, 1, 4)
    slots = agenda([tramo(1, "09:00", "10:00"), tramo(1, "16:10", "17:00")]).huecos(monday, monday, 30)
    assert wall_clock(slots) == ["09:00", "09:15", "09:30", "16:10", "16:25"]


def test_a_range_ending_at_24_00_offers_the_last_slot_of_the_day():
    monday = date(2027, 1, 4)
    slots = agenda([tramo(1, "22:30", "24:00")]).huecos(monday, monday, 30)
    assert wall_clock(slots) == ["22:30", "22:45", "23:00", "23:15", "23:30"]
    assert agenda([tramo(1, "22:30", "24:00")]).rechazo(local(monday, 23, 30), 30) is None


@pytest.mark.parametrize("dst_day", [date(2027, 3, 28), date(2027, 10, 31)], ids=["spring", "autumn"])
def test_daylight_saving_days_have_the_same_local_slots_as_any_other(dst_day):
    horario = [tramo(7, "09:00", "14:00")]  # both changes fall on a Sunday
    ordinary_sunday = dst_day - timedelta(days=7)
    on_the_day = agenda(horario).huecos(dst_day, dst_day, 30)
    assert wall_clock(on_the_day) == wall_clock(agenda(horario).huecos(ordinary_sunday, ordinary_sunday, 30))
    assert len(on_the_day) == 19  # 09:00 to 13:30
    assert on_the_day[-1] + timedelta(minutes=30) == local(dst_day, 14)
    assert all(slot.astimezone(MADRID).date() == dst_day for slot in on_the_day)


def test_a_range_across_the_night_of_the_spring_change_lasts_what_the_clocks_show():
    # On 2027-03-28 the clocks jump from 02:00 to 03:00: a range 01:00-04:00 holds two real hours.
    sunday = date(2027, 3, 28)
    slots = agenda([tramo(7, "01:00", "04:00")]).huecos(sunday, sunday, 60)
    assert wall_clock(slots) == ["01:00", "01:15", "01:30", "01:45", "03:00"]


def test_ausencias_of_the_doctor_or_the_centro_take_their_slots_away():
    monday = date(2027, 1, 4)
    leave = Bloqueo(local(monday, 9, 20), local(monday, 9, 40), id_doctor=3)
    slots = agenda([tramo(1, "09:00", "11:00")], ausencias=[leave]).huecos(monday, monday, 30)
    assert wall_clock(slots) == ["09:45", "10:00", "10:15", "10:30"]
    holiday = Bloqueo(local(monday, 0), local(monday + timedelta(days=1), 0), id_centro=1)
    assert agenda([tramo(1, "09:00", "11:00")], ausencias=[holiday]).huecos(monday, monday, 30) == []


def test_an_active_cita_takes_its_time_away():
    monday = date(2027, 1, 4)
    cita = (local(monday, 9, 30), local(monday, 10, 0))
    slots = agenda([tramo(1, "09:00", "11:00")], ocupadas=[cita]).huecos(monday, monday, 30)
    assert wall_clock(slots) == ["09:00", "10:00", "10:15", "10:30"]


def test_vigencia_limits_the_days_a_range_counts():
    horario = [tramo(1, "09:00", "10:00", vigente_desde=date(2027, 1, 11), vigente_hasta=date(2027, 1, 18))]
    mondays = [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)]
    assert [bool(agenda(horario).huecos(day, day, 30)) for day in mondays] == [False, True, True, False]


def test_the_rules_answer_in_their_order():
    monday = date(2027, 1, 4)
    horario = [tramo(1, "09:00", "14:00")]
    ahora = local(monday, 8)
    strict = CentroRef(1, "Centro", antelacion_minima_minutos=120, horizonte_dias=1, intervalo_minutos=15)
    busy = [(local(monday, 12), local(monday, 13))]
    checks = agenda(horario, ocupadas=busy, centro=strict, ahora=ahora)
    assert checks.rechazo(local(monday, 7), 30) is FechaPasada
    assert checks.rechazo(local(monday, 14), 30) is FueraDeHorario
    assert checks.rechazo(local(monday, 9), 30) is AntelacionInsuficiente
    assert checks.rechazo(local(monday + timedelta(days=7), 9), 30) is FueraDeHorizonte
    assert checks.rechazo(local(monday, 12, 15), 30) is DobleReserva
    assert checks.rechazo(local(monday, 11, 7), 30) is None  # a booking need not start on a step


def test_without_a_horario_from_gestion_no_horario_rule_applies_and_no_slot_is_offered():
    monday = date(2027, 1, 4)
    unknown = agenda(None)
    assert unknown.rechazo(local(monday, 3), 30) is None
    assert unknown.huecos(monday, monday, 30) == []


# --- Listed if and only if bookable, over random agendas ---------------------------------------------------

WEEK = [date(2027, 3, 22) + timedelta(days=offset) for offset in range(14)]  # spans the spring change


def expected_refusal(start: datetime, minutes: int, horarios, ausencias, ocupadas, centro, ahora):
    """What the booking check should answer, reckoned naively in the clinics' wall time."""
    end = start + timedelta(minutes=minutes)
    day = start.astimezone(MADRID).date()

    def bounds(t: Tramo):
        first = datetime.combine(day, time()) + timedelta(minutes=t.hora_inicio)
        last = datetime.combine(day, time()) + timedelta(minutes=t.hora_fin)
        return first.replace(tzinfo=MADRID).astimezone(UTC), last.replace(tzinfo=MADRID).astimezone(UTC)

    if start <= ahora:
        return FechaPasada
    in_force = [t for t in horarios if t.dia_semana == day.isoweekday() and t.vigente(day)]
    if not any(bounds(t)[0] <= start and end <= bounds(t)[1] for t in in_force):
        return FueraDeHorario
    if any(a.inicio < end and start < a.fin for a in ausencias):
        return FueraDeHorario
    if start < ahora + timedelta(minutes=centro.antelacion_minima_minutos):
        return AntelacionInsuficiente
    if start > ahora + timedelta(days=centro.horizonte_dias):
        return FueraDeHorizonte
    if any(inicio < end and start < fin for inicio, fin in ocupadas):
        return DobleReserva
    return None


def step_aligned_starts(horarios, intervalo: int, minutes: int):
    for day in WEEK:
        for t in horarios:
            if t.dia_semana != day.isoweekday() or not t.vigente(day):
                continue
            start = datetime.combine(day, time(), tzinfo=MADRID) + timedelta(minutes=t.hora_inicio)
            start = start.replace(tzinfo=None).replace(tzinfo=MADRID).astimezone(UTC)
            end = (datetime.combine(day, time()) + timedelta(minutes=t.hora_fin)).replace(tzinfo=MADRID)
            while start + timedelta(minutes=minutes) <= end.astimezone(UTC):
                yield start
                start += timedelta(minutes=intervalo)


@st.composite
def ranges_of_a_day(draw):
    """Disjoint ranges of one weekday, on five-minute marks."""
    marks = sorted(draw(st.sets(st.integers(0, 288), min_size=2, max_size=6)))
    pairs = list(zip(marks[::2], marks[1::2], strict=False))
    return [(start * 5, end * 5) for start, end in pairs]


@st.composite
def agendas(draw):
    horarios = []
    for dia in draw(st.sets(st.integers(1, 7), min_size=1, max_size=4)):
        for inicio, fin in draw(ranges_of_a_day()):
            horarios.append(Tramo(3, 1, dia, inicio, fin))
    base = datetime.combine(WEEK[0], time(), tzinfo=UTC)
    instant = st.integers(0, 14 * 24 * 12).map(lambda n: base + timedelta(minutes=5 * n))
    spans = st.tuples(instant, st.integers(1, 48).map(lambda n: timedelta(minutes=5 * n)))
    ausencias = [
        Bloqueo(start, start + span, id_doctor=3) for start, span in draw(st.lists(spans, max_size=4))
    ]
    ocupadas = [(start, start + span) for start, span in draw(st.lists(spans, max_size=6))]
    centro = CentroRef(
        1,
        "Centro",
        antelacion_minima_minutos=draw(st.sampled_from([0, 30, 24 * 60])),
        horizonte_dias=draw(st.sampled_from([1, 5, 365])),
        intervalo_minutos=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
    )
    ahora = base + timedelta(minutes=5 * draw(st.integers(-288, 5 * 288)))
    minutes = draw(st.sampled_from([5, 15, 30, 45, 60, 90]))
    return horarios, ausencias, ocupadas, centro, ahora, minutes


@settings(max_examples=300, deadline=None, database=None)
@given(agendas())
def test_a_start_is_listed_if_and_only_if_the_booking_check_accepts_it(case):
    horarios, ausencias, ocupadas, centro, ahora, minutes = case
    checks = agenda(horarios, ausencias=ausencias, ocupadas=ocupadas, centro=centro, ahora=ahora)
    listed = set(checks.huecos(WEEK[0], WEEK[-1], minutes))
    for start in step_aligned_starts(horarios, centro.intervalo_minutos, minutes):
        expected = expected_refusal(start, minutes, horarios, ausencias, ocupadas, centro, ahora)
        assert checks.rechazo(start, minutes) is expected, start
        assert (start in listed) == (expected is None), start
    assert all(checks.rechazo(start, minutes) is None for start in listed)
