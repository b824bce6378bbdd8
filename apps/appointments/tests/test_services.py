"""The booking rules, against an in-memory gestion."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError, connection
from django.http import Http404
from django.utils import timezone
from psycopg.errors import DeadlockDetected

from apps.appointments import services
from apps.appointments.gateway import GestionNoDisponible
from apps.appointments.models import Cita, EstadoCita, fin_de
from apps.appointments.tests.conftest import (
    CENTRO,
    DOCTOR,
    INACTIVO,
    OTRO_DOCTOR,
    OTRO_PACIENTE,
    PACIENTE,
    dentro_de,
)
from apps.common.authentication import ClaimsUser
from apps.common.exceptions import InvalidInput
from apps.common.tests.held_write import HeldWrite

pytestmark = pytest.mark.django_db

ADMIN = ClaimsUser(id_user=1, username="admin", rol="admin")


def datos(**overrides) -> services.DatosCita:
    fields = {
        "fecha": dentro_de(days=1),
        "id_doctor": DOCTOR,
        "id_centro": CENTRO,
        "id_paciente": PACIENTE,
        **overrides,
    }
    return services.DatosCita(**fields)


def codes(exc: InvalidInput) -> dict[str, str]:
    return {exc.field: exc.code}


def test_a_valid_booking_is_programada_and_records_who_booked(gestion_fake):
    cita = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    assert cita.estado == EstadoCita.PROGRAMADA
    assert cita.id_user_registrado == ADMIN.id_user
    assert cita.fin - cita.fecha == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"id_doctor": 999}, "id_doctor", "doctor_no_existe"),
        ({"id_centro": 999}, "id_centro", "centro_no_existe"),
        ({"id_paciente": 999}, "id_paciente", "paciente_no_existe"),
        ({"id_paciente": INACTIVO}, "id_paciente", "paciente_inactivo"),
        ({"fecha": timezone.now() - timedelta(minutes=1)}, "fecha", "fecha_pasada"),
    ],
)
def test_each_rule_names_its_field_and_writes_nothing(gestion_fake, overrides, field, code):
    with pytest.raises(InvalidInput) as caught:
        services.cita_create(datos=datos(**overrides), actor=ADMIN, gestion=gestion_fake)
    assert codes(caught.value) == {field: code}
    assert not Cita.objects.exists()


def test_rules_answer_in_the_contract_order(gestion_fake):
    everything_wrong = datos(id_doctor=999, id_centro=999, id_paciente=INACTIVO, fecha=timezone.now())
    with pytest.raises(InvalidInput) as caught:
        services.cita_create(datos=everything_wrong, actor=ADMIN, gestion=gestion_fake)
    assert codes(caught.value) == {"id_doctor": "doctor_no_existe"}


def test_an_overlapping_booking_of_the_same_doctor_is_a_double_booking(gestion_fake):
    first = services.cita_create(datos=datos(duracion_minutos=60), actor=ADMIN, gestion=gestion_fake)
    with pytest.raises(services.DobleReserva):
        services.cita_create(
            datos=datos(fecha=first.fecha + timedelta(minutes=59)), actor=ADMIN, gestion=gestion_fake
        )
    assert Cita.objects.count() == 1


def test_back_to_back_citas_do_not_overlap(gestion_fake):
    first = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    services.cita_create(datos=datos(fecha=first.fin), actor=ADMIN, gestion=gestion_fake)
    services.cita_create(
        datos=datos(fecha=first.fecha - timedelta(minutes=30)), actor=ADMIN, gestion=gestion_fake
    )
    assert Cita.objects.count() == 3


def test_another_doctor_may_take_the_same_slot_for_another_patient(gestion_fake):
    services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    services.cita_create(
        datos=datos(id_doctor=OTRO_DOCTOR, id_paciente=OTRO_PACIENTE), actor=ADMIN, gestion=gestion_fake
    )
    assert Cita.objects.count() == 2


def test_a_patient_cannot_be_with_two_doctors_at_once(gestion_fake):
    first = services.cita_create(datos=datos(duracion_minutos=60), actor=ADMIN, gestion=gestion_fake)
    with pytest.raises(services.PacienteOcupado):
        services.cita_create(
            datos=datos(id_doctor=OTRO_DOCTOR, fecha=first.fecha + timedelta(minutes=45)),
            actor=ADMIN,
            gestion=gestion_fake,
        )
    assert Cita.objects.count() == 1


def test_the_doctors_clash_is_answered_before_the_patients(gestion_fake):
    first = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    with pytest.raises(services.DobleReserva):  # same doctor and same patient: rule 6 comes first
        services.cita_create(datos=datos(fecha=first.fecha), actor=ADMIN, gestion=gestion_fake)


def test_a_cancelled_cita_frees_its_slot(gestion_fake):
    first = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    services.cita_cancel(cita_id=first.pk, actor=ADMIN)
    services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    assert Cita.objects.filter(estado=EstadoCita.PROGRAMADA).count() == 1


def test_gestion_down_writes_nothing(gestion_fake):
    gestion_fake.disponible = False
    with pytest.raises(GestionNoDisponible):
        services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    assert not Cita.objects.exists()


def test_cancelling_records_who_when_and_why(gestion_fake):
    cita = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    secretaria = ClaimsUser(id_user=9, username="sec", rol="secretaria")
    services.cita_cancel(cita_id=cita.pk, actor=secretaria, motivo="Avisa el paciente")
    cita.refresh_from_db()
    assert (cita.estado, cita.id_user_cancelacion, cita.motivo_cancelacion) == (
        "CANCELADA",
        9,
        "Avisa el paciente",
    )
    assert cita.cancelada is not None


def test_cancelling_twice_is_a_conflict(gestion_fake):
    cita = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    services.cita_cancel(cita_id=cita.pk, actor=ADMIN)
    with pytest.raises(services.CitaYaCancelada):
        services.cita_cancel(cita_id=cita.pk, actor=ADMIN)


def test_cancelling_a_cita_that_does_not_exist_is_not_found():
    with pytest.raises(Http404):
        services.cita_cancel(cita_id=999, actor=ADMIN)


def test_a_cita_deleted_while_its_change_asks_gestion_is_not_found(gestion_fake, monkeypatch):
    old = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    asks = gestion_fake.referencias

    def deleted_meanwhile(**refs):
        Cita.objects.filter(pk=old.pk).delete()  # an admin's DELETE lands while gestion answers
        return asks(**refs)

    monkeypatch.setattr(gestion_fake, "referencias", deleted_meanwhile)
    with pytest.raises(Http404):
        services.cita_reschedule(
            cita_id=old.pk,
            cambios={"fecha": old.fecha + timedelta(hours=1)},
            actor=ADMIN,
            gestion=gestion_fake,
        )
    assert not Cita.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serializes every write transaction")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("otra", "error"),
    [
        ({"id_paciente": OTRO_PACIENTE}, services.DobleReserva),
        ({"id_doctor": OTRO_DOCTOR}, services.PacienteOcupado),
    ],
)
def test_a_booking_waits_for_one_of_its_doctor_or_patient_in_progress_and_its_checks_answer(
    gestion_fake, monkeypatch, otra, error
):
    """Two bookings of one slot that both passed their checks would meet at the exclusion constraints,
    each waiting for the other: a deadlock, found only after a second."""
    held = HeldWrite()
    notify = services.notificacion_create

    def notify_and_hold(**kwargs):  # the first booking stays open after its insert
        notify(**kwargs)
        held.hold()

    def book(fields: dict):
        return lambda: services.cita_create(datos=datos(**fields), actor=ADMIN, gestion=gestion_fake)

    monkeypatch.setattr(services, "notificacion_create", notify_and_hold)
    first, second, waited_for = held.run(book({}), book(otra))
    assert waited_for == "advisory"
    assert isinstance(first, Cita)
    assert isinstance(second, error)
    assert second.__cause__ is None  # answered by its checks, not by a constraint
    assert Cita.objects.count() == 1


def test_a_booking_aborted_by_a_deadlock_runs_again_and_answers_what_it_then_sees(gestion_fake, monkeypatch):
    winner = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    check = services._comprobar_hueco
    checks = []

    def blind_then_sighted(*args, **kwargs):
        checks.append(1)
        if len(checks) > 1:  # the first time round, the winner had not committed yet
            check(*args, **kwargs)

    def deadlocked(*args, **kwargs):
        raise OperationalError("deadlock detected") from DeadlockDetected()  # as Django wraps psycopg's

    monkeypatch.setattr(services, "_comprobar_hueco", blind_then_sighted)
    monkeypatch.setattr(services, "_insertar", deadlocked)
    with pytest.raises(services.PacienteOcupado):
        services.cita_create(
            datos=datos(id_doctor=OTRO_DOCTOR, fecha=winner.fecha), actor=ADMIN, gestion=gestion_fake
        )
    assert len(checks) == 2
    assert Cita.objects.count() == 1


def test_a_deadlock_that_keeps_coming_back_is_not_hidden(gestion_fake, monkeypatch):
    def always_deadlocked(*args, **kwargs):
        raise OperationalError("deadlock detected") from DeadlockDetected()

    monkeypatch.setattr(services, "_insertar", always_deadlocked)
    with pytest.raises(OperationalError):
        services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    assert not Cita.objects.exists()


def test_a_change_replaces_the_cita_and_cancels_the_old_one(gestion_fake):
    old = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    nueva_fecha = old.fecha + timedelta(hours=2)
    result = services.cita_reschedule(
        cita_id=old.pk, cambios={"fecha": nueva_fecha}, actor=ADMIN, gestion=gestion_fake
    )
    old.refresh_from_db()
    assert old.estado == EstadoCita.CANCELADA
    assert result.cita.cita_anterior_id == old.pk
    assert (result.cita.fecha, result.cita.estado, result.cita.id_paciente) == (
        nueva_fecha,
        "PROGRAMADA",
        PACIENTE,
    )


def test_a_change_may_overlap_the_cita_it_replaces(gestion_fake):
    old = services.cita_create(datos=datos(duracion_minutos=60), actor=ADMIN, gestion=gestion_fake)
    later = old.fecha + timedelta(minutes=15)
    result = services.cita_reschedule(
        cita_id=old.pk, cambios={"fecha": later}, actor=ADMIN, gestion=gestion_fake
    )
    assert result.cita.fecha == later


def test_a_change_into_a_taken_slot_changes_nothing(gestion_fake):
    mine = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    taken = services.cita_create(
        datos=datos(fecha=mine.fecha + timedelta(hours=3)), actor=ADMIN, gestion=gestion_fake
    )
    with pytest.raises(services.DobleReserva):
        services.cita_reschedule(
            cita_id=mine.pk, cambios={"fecha": taken.fecha}, actor=ADMIN, gestion=gestion_fake
        )
    mine.refresh_from_db()
    assert mine.estado == EstadoCita.PROGRAMADA
    assert Cita.objects.count() == 2


def test_a_change_failing_a_rule_changes_nothing(gestion_fake):
    mine = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    with pytest.raises(InvalidInput):
        services.cita_reschedule(
            cita_id=mine.pk,
            cambios={"fecha": mine.fecha, "id_doctor": 999},
            actor=ADMIN,
            gestion=gestion_fake,
        )
    mine.refresh_from_db()
    assert mine.estado == EstadoCita.PROGRAMADA
    assert Cita.objects.count() == 1


def test_a_cancelled_cita_cannot_change(gestion_fake):
    cita = services.cita_create(datos=datos(), actor=ADMIN, gestion=gestion_fake)
    services.cita_cancel(cita_id=cita.pk, actor=ADMIN)
    with pytest.raises(services.CitaNoModificable):
        services.cita_reschedule(
            cita_id=cita.pk, cambios={"fecha": cita.fecha}, actor=ADMIN, gestion=gestion_fake
        )


def test_a_cita_lasts_its_minutes_even_across_a_daylight_saving_change():
    # 02:45 on 26 October 2031 in Madrid, the first time round: summer time, 00:45 UTC. Thirty minutes
    # later the clocks have gone back and read 02:15; on the wall, 03:15 would be 02:15 UTC.
    fecha = datetime(2031, 10, 26, 2, 45, tzinfo=ZoneInfo("Europe/Madrid"))
    assert fin_de(fecha, 30) == datetime(2031, 10, 26, 1, 15, tzinfo=UTC)
