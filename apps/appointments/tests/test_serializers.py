"""A cita's answer, as the lists and every write give it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from apps.appointments.models import Cita, EstadoCita
from apps.appointments.serializers import CitaSerializer
from apps.appointments.tests.factories import CitaFactory

pytestmark = pytest.mark.django_db


def test_a_citas_answer_is_drfs_own_and_reads_nothing_more():
    anterior = CitaFactory(
        estado=EstadoCita.CANCELADA,
        motivo_cancelacion="Cambio",
        id_user_cancelacion=7,
        cancelada=timezone.now(),
    )
    CitaFactory(cita_anterior=anterior, motivo="Revisión")
    citas = list(Cita.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as asked:
        answers = CitaSerializer(citas, many=True).data
    assert len(asked) == 0  # the replaced cita by its id, with no query for it
    drf = CitaSerializer()
    assert answers == [serializers.Serializer.to_representation(drf, cita) for cita in citas]
    assert answers[1]["id_cita_anterior"] == anterior.pk and answers[0]["id_cita_anterior"] is None
    assert answers[0]["cancelada"] == timezone.localtime(anterior.cancelada).isoformat()
    assert answers[1]["doctor"] == {"id": citas[1].id_doctor, "nombre": "Dra. Prueba", "especialidad": ""}
