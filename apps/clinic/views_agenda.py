"""The agenda's API: where and when each doctor works (horarios), and when it or a centro does not
(ausencias)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from apps.clinic import serializers
from apps.clinic.filters import AusenciaFilter, HorarioFilter
from apps.clinic.models import Ausencia, Horario
from apps.clinic.selectors import ausencias_visibles, horarios_visibles
from apps.clinic.services import (
    ausencia_create,
    ausencia_delete,
    ausencia_update,
    horario_create,
    horario_delete,
    horario_update,
)
from apps.clinic.views import RegistryViewSet
from apps.common.bulk import bulk_create_schema
from apps.common.openapi import CONFLICT
from apps.common.roles import quien


class AgendaViewSet(mixins.DestroyModelMixin, RegistryViewSet):
    """A registry record that may also be deleted (by an admin); a medico reads its own only."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permisos = {
        "list": "agenda.leer",
        "retrieve": "agenda.leer",
        "historial": "agenda.leer",
        "create": "agenda.crear",
        "partial_update": "agenda.cambiar",
        "destroy": "agenda.cambiar",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.visibles(actor=self.request.user)


READ_ROLES = quien("agenda.leer")


@extend_schema_view(
    list=extend_schema(
        summary="List horarios",
        description=f"{READ_ROLES} Weekly ranges of local wall time, `dia_semana` 1 (lunes) to 7.",
    ),
    retrieve=extend_schema(summary="Get a horario", description=f"{READ_ROLES} Outside them, 404."),
    create=bulk_create_schema(
        name="Horario",
        example={
            "id_doctor": 3,
            "id_centro": 1,
            "dia_semana": 1,
            "hora_inicio": "09:00",
            "hora_fin": "14:00",
        },
        request=serializers.HorarioSerializer,
        response=serializers.HorarioSerializer,
        summary="Create horarios",
        description=quien("agenda.crear")
        + " A range `[hora_inicio, hora_fin)` of local wall time (`hora_fin` may be "
        "`24:00`) on a weekday, in force from `vigente_desde` to `vigente_hasta` (both optional, inclusive). "
        "A doctor's ranges may not overlap while both are in force, whatever the centro: 409 "
        "`horario_solapado`.",
    ),
    partial_update=extend_schema(
        summary="Change a horario",
        description=quien("agenda.cambiar") + " An overlap with another range of the doctor answers 409.",
        responses={200: serializers.HorarioSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(
        summary="Delete a horario",
        description=quien("agenda.cambiar") + " Citas already booked in it stay as they are.",
    ),
)
class HorarioViewSet(AgendaViewSet):
    queryset = Horario.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = serializers.HorarioSerializer
    create_serializer_class = serializers.HorarioSerializer
    create_service = staticmethod(horario_create)
    visibles = staticmethod(horarios_visibles)
    filterset_class = HorarioFilter
    ordering_fields = ["id_horario", "dia_semana", "hora_inicio"]

    def perform_update(self, serializer):
        horario_update(horario=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        horario_delete(horario=instance)


@extend_schema_view(
    list=extend_schema(
        summary="List ausencias",
        description=f"{READ_ROLES} `desde` / `hasta` keep the ausencias that overlap that time.",
    ),
    retrieve=extend_schema(summary="Get an ausencia", description=f"{READ_ROLES} Outside them, 404."),
    create=bulk_create_schema(
        name="Ausencia",
        example={
            "id_centro": 1,
            "inicio": "2027-01-06T00:00:00",
            "fin": "2027-01-07T00:00:00",
            "motivo": "Reyes",
        },
        request=serializers.AusenciaSerializer,
        response=serializers.AusenciaSerializer,
        summary="Create ausencias",
        description=quien("agenda.crear")
        + " `[inicio, fin)` in which a doctor (`id_doctor`: leave, training) or a "
        "whole centro (`id_centro`: holiday, closure) takes no citas; exactly one of the two.",
    ),
    partial_update=extend_schema(summary="Change an ausencia", description=quien("agenda.cambiar")),
    destroy=extend_schema(summary="Delete an ausencia", description=quien("agenda.cambiar")),
)
class AusenciaViewSet(AgendaViewSet):
    queryset = Ausencia.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = serializers.AusenciaSerializer
    create_serializer_class = serializers.AusenciaSerializer
    create_service = staticmethod(ausencia_create)
    visibles = staticmethod(ausencias_visibles)
    filterset_class = AusenciaFilter
    ordering_fields = ["id_ausencia", "inicio"]

    def perform_update(self, serializer):
        ausencia_update(ausencia=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        ausencia_delete(ausencia=instance)
