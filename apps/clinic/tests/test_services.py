import pytest
from django.db import IntegrityError

from apps.accounts.models import User
from apps.clinic import services
from apps.clinic.models import Doctor, Paciente

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
