"""The booking path's overlap read (raw SQL) answers what the ORM's definition of it does."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.appointments.models import DURACION_MAXIMA, Cita, EstadoCita
from apps.appointments.selectors import citas_solapadas
from apps.appointments.services import ADVISORY_LOCK_DOCTOR, ADVISORY_LOCK_PACIENTE
from apps.appointments.tests.factories import CitaFactory

pytestmark = pytest.mark.django_db
INICIO = datetime(2031, 5, 5, 8, 0, tzinfo=UTC)
DOCTORES, PACIENTES = (1, 2), (10, 11)


def _del_orm(id_doctor, id_paciente, desde, hasta, excepto):
    citas = (
        Cita.objects.activas()
        .solapan(desde, hasta)
        .filter(Q(id_doctor=id_doctor) | Q(id_paciente=id_paciente))
    )
    if excepto is not None:
        citas = citas.exclude(pk=excepto)
    return sorted(citas.values_list("id_doctor", "id_paciente", "fecha", "fin"))


def test_the_raw_read_and_the_orm_agree_at_every_edge():
    rng = random.Random(5)  # noqa: S311 (test data)
    ids = []
    for _ in range(120):
        cita = CitaFactory.build(
            fecha=INICIO + timedelta(minutes=5 * rng.randrange(200)),
            duracion_minutos=rng.choice([5, 30, DURACION_MAXIMA]),
            id_doctor=rng.choice(DOCTORES),
            id_paciente=rng.choice(PACIENTES),
            estado=rng.choice(EstadoCita.values),
        )
        try:  # PostgreSQL's constraints keep active citas of one doctor or patient apart; SQLite takes all
            with transaction.atomic():
                cita.save()
        except IntegrityError:
            continue
        ids.append(cita.pk)
    assert len(ids) > 20
    for _ in range(300):
        desde = INICIO + timedelta(minutes=5 * rng.randrange(-100, 300))
        hasta = desde + timedelta(minutes=rng.choice([5, 30, 60]))
        doctor, paciente = rng.choice(DOCTORES), rng.choice(PACIENTES)
        excepto = rng.choice([None, rng.choice(ids)])
        expected = _del_orm(doctor, paciente, desde, hasta, excepto)
        turno_de_reserva = (ADVISORY_LOCK_DOCTOR, doctor, ADVISORY_LOCK_PACIENTE, paciente)
        for turno in ((), turno_de_reserva):  # the read alone, and with a booking's turn taken
            raw = citas_solapadas(
                id_doctor=doctor, id_paciente=paciente, desde=desde, hasta=hasta, excepto=excepto, turno=turno
            )
            assert sorted(raw) == expected
