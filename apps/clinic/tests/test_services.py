import pytest
from django.db import IntegrityError, connection

from apps.accounts.models import User
from apps.clinic import services
from apps.clinic.models import Doctor, Horario, Paciente
from apps.clinic.tests.factories import CentroFactory, DoctorFactory
from apps.common.tests.held_write import HeldWrite

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
    held = HeldWrite()
    save = Horario.save

    def save_and_hold(self, *args, **kwargs):  # the first range stays open after its insert
        save(self, *args, **kwargs)
        held.hold()

    def create():
        return services.horario_create(
            doctor=doctor, centro=centro, dia_semana=1, hora_inicio=540, hora_fin=840
        )

    monkeypatch.setattr(Horario, "save", save_and_hold)
    first, second, _ = held.run(create, create)
    assert isinstance(first, Horario)
    assert isinstance(second, services.HorarioDuplicado)  # the constraint would have said "solapado"
    assert Horario.objects.filter(doctor=doctor).count() == 1
