"""The database's own part in preventing double booking, whichever engine runs the tests."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.appointments.models import Cita

pytestmark = pytest.mark.django_db


def insert(fecha, estado="PROGRAMADA", id_doctor=3, id_paciente=12):
    return Cita.objects.create(
        fecha=fecha,
        id_doctor=id_doctor,
        id_centro=1,
        id_paciente=id_paciente,
        id_user_registrado=1,
        estado=estado,
    )


def test_the_database_serializes_or_refuses_overlapping_bookings():
    start = timezone.now() + timedelta(days=1)
    insert(start)
    if connection.vendor == "postgresql":
        # The exclusion constraint refuses the overlap even when no code checked for it.
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(start + timedelta(minutes=10))
        insert(start + timedelta(minutes=10), estado="CANCELADA")
        insert(start + timedelta(minutes=10), id_doctor=4, id_paciente=13)
        insert(start + timedelta(minutes=30))
        # Nor may one patient be with two doctors at once.
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(start + timedelta(minutes=20), id_doctor=5)
        insert(start + timedelta(minutes=20), id_doctor=5, estado="CANCELADA")
        assert Cita.objects.count() == 5
    else:
        # SQLite: every transaction takes the write lock when it begins, so check-then-insert is atomic.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] in {"wal", "memory"}
