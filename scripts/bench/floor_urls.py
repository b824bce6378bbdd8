from datetime import timedelta

import urllib3
from django.conf import settings
from django.db import transaction
from django.urls import path
from django.utils.dateparse import parse_datetime
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.appointments.models import Cita
from apps.common.views import HealthView


class Floor(APIView):
    def post(self, request):
        fecha = parse_datetime(request.data["fecha"])
        fin = fecha + timedelta(minutes=30)
        id_doctor, id_paciente = int(request.data["id_doctor"]), int(request.data["id_paciente"])
        with transaction.atomic():
            taken = Cita.objects.filter(
                id_doctor=id_doctor, estado="PROGRAMADA", fecha__lt=fin, fin__gt=fecha
            )
            if taken.exists():
                return Response({"error": "taken"}, status=409)
            cita = Cita.objects.create(
                fecha=fecha,
                id_doctor=id_doctor,
                id_centro=int(request.data["id_centro"]),
                id_paciente=id_paciente,
                id_user_registrado=1,
            )
        return Response({"id_cita": cita.pk}, status=201)


# Kept alive across requests, as citas' gateway keeps its connections to gestion.
BARE_CALL = urllib3.connection_from_url(settings.FLOOR_CALL_URL, maxsize=16)


class FloorWithCall(Floor):
    """The floor, after one HTTP call to the bare app: the least any booking that asks gestion can cost."""

    def post(self, request):
        fields = {"paciente": int(request.data["id_paciente"]), "doctor": int(request.data["id_doctor"])}
        answer = BARE_CALL.request("GET", "/interno/referencias", fields=fields).json()
        if not answer["doctor"]["activo"]:
            return Response({"error": "inactive"}, status=422)
        return super().post(request)


urlpatterns = [
    path("citas", Floor.as_view()),
    path("citas-with-call", FloorWithCall.as_view()),
    path("health", HealthView.as_view()),
]
