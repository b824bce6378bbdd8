import threading
import time

import pytest
from django.db import IntegrityError, connection

from apps.accounts.models import User
from apps.clinic import services
from apps.clinic.models import Doctor, Horario, Paciente
from apps.clinic.tests.factories import CentroFactory, DoctorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fail_to_insert(*args, **kwargs):
    raise IntegrityError("profile insert failed")


def test_a_failed_patient_insert_leaves_no_orphan_user(monkeypatch):
    monkeypatch.setattr(Paciente.objects, "create", fail_to_insert)
    with pytest.raises(IntegrityError):
        services.paciente_create(
            nombre="Ana", telefono="+34 600 000 000", username="ana", password="x-clave-123"
        )
    assert not User.objects.filter(username="ana").exists()


def test_a_failed_doctor_insert_leaves_no_orphan_user(monkeypatch):
    monkeypatch.setattr(Doctor.objects, "create", fail_to_insert)
    with pytest.raises(IntegrityError):
        services.doctor_create(
            nombre="Eva", especialidad="Ortodoncia", username="eva", password="x-clave-123"
        )
    assert not User.objects.filter(username="eva").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serializes every write transaction")
def test_a_range_saved_while_an_overlapping_one_is_in_progress_waits_and_its_check_answers(monkeypatch):
    """Two overlapping ranges that both passed their checks would meet at the exclusion constraint, each
    waiting for the other: a deadlock, ended after a second with an error."""
    doctor, centro = DoctorFactory(), CentroFactory()
    saved, release = threading.Event(), threading.Event()
    save = Horario.save

    def pause_the_first(self, *args, **kwargs):  # the first range holds its transaction open after its insert
        save(self, *args, **kwargs)
        if not saved.is_set():
            saved.set()
            release.wait(timeout=30)

    def create(outcome: list) -> None:
        try:
            outcome.append(
                services.horario_create(
                    doctor=doctor, centro=centro, dia_semana=1, hora_inicio=540, hora_fin=840
                )
            )
        except Exception as exc:  # the main thread asserts on it
            outcome.append(exc)
        finally:
            connection.close()

    monkeypatch.setattr(Horario, "save", pause_the_first)
    first, second = [], []
    threads = [threading.Thread(target=create, args=(outcome,)) for outcome in (first, second)]
    threads[0].start()
    assert saved.wait(timeout=30)
    threads[1].start()
    try:
        waited = a_backend_waits_for_a_lock()
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=30)
    assert waited
    assert isinstance(first[0], Horario)
    assert isinstance(second[0], services.HorarioDuplicado)  # the constraint would have said "solapado"
    assert Horario.objects.filter(doctor=doctor).count() == 1


def a_backend_waits_for_a_lock() -> bool:
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchall():
                return True
            time.sleep(0.01)
    return False
