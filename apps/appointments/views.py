from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.appointments import serializers, services
from apps.appointments.estados import describe
from apps.appointments.filters import CitaFilter
from apps.appointments.gateway import gestion
from apps.appointments.models import Cita
from apps.appointments.selectors import citas_eliminadas, citas_visibles, disponibilidad_centro
from apps.appointments.throttles import ReservasPacienteThrottle
from apps.common.fields import ID_EN_RUTA
from apps.common.history import HistorialMixin, HistorialSerializer
from apps.common.idempotency import IdempotentPostMixin
from apps.common.openapi import CONFLICT, UNAVAILABLE
from apps.common.permissions import PermissionsByActionMixin, puede
from apps.common.roles import Rol, quien
from apps.notifications.feeds import calendario_revoke, calendario_token
from apps.notifications.serializers import (
    CalendarioSerializer,
    NotificacionesSerializer,
    NotificacionSerializer,
)
from apps.notifications.views import feed_url

RULES = (
    "the doctor, centro and patient exist (400 naming the field), the patient is ACTIVO (400), fecha is "
    "in the future (400 `fecha_pasada`), the doctor works at that centro then, inside a horario range and "
    "outside every ausencia of the doctor or the centro (400 `fuera_de_horario`), the centro's notice and "
    "horizon (400 `antelacion_insuficiente` / `fuera_de_horizonte`), the doctor has no other active cita "
    "overlapping it (409 `doble_reserva`), the patient has none either (409 `paciente_ocupado`)."
)

EJEMPLO_CITA = OpenApiExample(
    "Cita",
    value={
        "fecha": "2030-03-04T10:30:00",
        "motivo": "Revisión anual",
        "id_doctor": 3,
        "id_centro": 1,
        "id_paciente": 12,
    },
    request_only=True,
)


def transition_schema(accion: str, summary: str):
    permiso = "citas." + accion.replace("-", "_")
    return extend_schema(
        summary=summary,
        operation_id=f"citas_{accion.replace('-', '_')}",
        description=f"{quien(permiso)} {describe(accion)} Another state or time answers 409 "
        "`transicion_no_permitida`.",
        request=None,
        responses={200: serializers.CitaActualizadaSerializer, 409: CONFLICT},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List citas",
        description=quien("citas.leer")
        + " Ordered by fecha; `?search=` finds the patient's, doctor's or centro's name. "
        "`fecha=YYYY-MM-DD` is that day in the clinics' time zone.",
    ),
    retrieve=extend_schema(summary="Get a cita", description=quien("citas.leer") + " Outside them, 404."),
    destroy=extend_schema(summary="Delete a cita", description=quien("citas.eliminar")),
)
class CitaViewSet(
    IdempotentPostMixin,
    PermissionsByActionMixin,
    HistorialMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Cita.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = serializers.CitaSerializer
    permisos = {
        "list": "citas.leer",
        "retrieve": "citas.leer",
        "create": "citas.reservar",
        "update": "citas.cambiar",
        "destroy": "citas.eliminar",
        "confirmar": "citas.confirmar",
        "llegada": "citas.llegada",
        "completar": "citas.completar",
        "no_asistio": "citas.no_asistio",
        "historial": "citas.leer",
        "eliminadas": "citas.eliminadas",
        "notificaciones": "citas.notificaciones",
        "calendario": "citas.calendario",
    }
    lookup_value_regex = ID_EN_RUTA
    sync_field = "actualizada"
    error_prefixes = {"update": gettext_lazy("The cita could not be changed: ")}
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    filterset_class = CitaFilter
    ordering_fields = ["fecha", "id_cita"]
    search_fields = ["paciente_nombre", "doctor_nombre", "centro_nombre"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return citas_visibles(actor=self.request.user)

    def get_throttles(self):
        return [ReservasPacienteThrottle()] if self.action == "create" else []

    @extend_schema(
        summary="Book a cita",
        description=quien("citas.reservar")
        + " Checks, in this order: "
        + RULES
        + " A paciente booking for itself holds at most MAX_CITAS_ACTIVAS_PACIENTE (6) active citas still to "
        "come (409 `demasiadas_citas`) and books at most RESERVAS_PACIENTE_RATE (10 a minute; 429); staff "
        "are not limited. 503 when gestion cannot be asked.",
        request=serializers.CitaCrearSerializer,
        responses={201: serializers.CitaSerializer, 409: CONFLICT, 503: UNAVAILABLE},
        examples=[EJEMPLO_CITA],
    )
    def create(self, request):
        body = serializers.CitaCrearSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        datos = body.validated_data
        datos["id_paciente"] = services.paciente_de_la_cita(
            actor=request.user, id_paciente=datos.get("id_paciente")
        )
        cita = services.cita_create(datos=services.DatosCita(**datos), actor=request.user, gestion=gestion())
        return Response(serializers.CitaSerializer(cita).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel or change a cita",
        description=quien("citas.cambiar") + ' `{"estado": "CANCELADA"}` cancels it '
        "(409 if it is cancelled already). A new `fecha` (and optionally `id_doctor`, `id_centro`, `motivo`, "
        "`duracion_minutos`) changes it: a new cita replaces it, with `id_cita_anterior` pointing back, and "
        "the old one is cancelled, both or neither. A change passes every check of a booking (" + RULES + ")",
        request=serializers.CitaCambiarSerializer,
        responses={
            200: serializers.CitaActualizadaSerializer,
            409: CONFLICT,
            503: UNAVAILABLE,
        },
    )
    def update(self, request, pk=None):
        cita = self.get_object()
        body = serializers.CitaCambiarSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.cancela:
            return self._cancelar(request, cita, body.validated_data)
        return self._reprogramar(request, cita, body.validated_data)

    def _cancelar(self, request, cita: Cita, cambios: dict) -> Response:
        cancelada = services.cita_cancel(
            cita_id=cita.pk, actor=request.user, motivo=cambios.get("motivo_cancelacion", "")
        )
        mensaje = _("The cita was cancelled.")
        return Response({"mensaje": mensaje, "cita": serializers.CitaSerializer(cancelada).data})

    def _reprogramar(self, request, cita: Cita, cambios: dict) -> Response:
        cambio = services.cita_reschedule(
            cita_id=cita.pk, cambios=cambios, actor=request.user, gestion=gestion()
        )
        return Response(
            {
                "mensaje": _("The cita was changed; the previous one is cancelled."),
                "cita": serializers.CitaSerializer(cambio.cita).data,
                "cita_anterior": serializers.CitaSerializer(cambio.cita_anterior).data,
            }
        )

    def _transition(self, request, accion: str, mensaje: str) -> Response:
        cita = self.get_object()
        moved = services.cita_transition(cita_id=cita.pk, accion=accion, actor=request.user)
        return Response({"mensaje": mensaje, "cita": serializers.CitaSerializer(moved).data})

    @transition_schema("confirmar", "Confirm a cita")
    @action(detail=True, methods=["post"])
    def confirmar(self, request, pk=None):
        return self._transition(request, "confirmar", _("The cita is confirmed."))

    @transition_schema("llegada", "The patient has arrived")
    @action(detail=True, methods=["post"])
    def llegada(self, request, pk=None):
        return self._transition(request, "llegada", _("The patient is in the waiting room."))

    @transition_schema("completar", "Complete a cita")
    @action(detail=True, methods=["post"])
    def completar(self, request, pk=None):
        return self._transition(request, "completar", _("The cita is completed."))

    @transition_schema("no-asistio", "The patient did not come")
    @action(detail=True, methods=["post"], url_path="no-asistio")
    def no_asistio(self, request, pk=None):
        return self._transition(request, "no-asistio", _("The patient did not come."))

    @extend_schema(
        summary="A cita's history",
        description=quien("citas.leer") + " Outside them, 404; an admin also reads a deleted cita's. Every "
        "write, oldest first: when, who (`id_user`, `rol`), the `accion` (creada, cambiada, cancelada, "
        "confirmada, en_sala, completada, no_asistio, eliminada), the request id, each changed field before "
        "and after.",
        responses=HistorialSerializer,
    )
    @action(detail=True, methods=["get"])
    def historial(self, request, pk=None):
        if request.user.rol == Rol.ADMIN:
            registros = Cita.history.filter(id_cita=pk)
            if not registros.exists():
                raise NotFound()
        else:
            registros = self.get_object().history.all()
        return self.historial_response(registros)

    @extend_schema(
        summary="The messages about a cita",
        description=quien("citas.notificaciones") + " Outside them, 404. Every message to the patient about "
        "this cita (booked, changed, cancelled, reminder), oldest first: its channel, state (PENDIENTE, "
        "ENVIANDO, ENVIADA, DESCARTADA; FALLIDA and INTERRUMPIDA are dead letters, for staff), attempts, to "
        "whom and when it was sent, and the last error.",
        responses=NotificacionesSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def notificaciones(self, request, pk=None):
        cita = self.get_object()
        page = self.paginate_queryset(cita.notificaciones.order_by("creada", "id_notificacion"))
        return self.get_paginated_response(NotificacionSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="My calendar feed",
        description=quien("citas.calendario") + " A private URL of the caller's citas as iCalendar "
        "(`text/calendar`), as this list scopes them (a doctor's agenda, a patient's appointments), from "
        "90 days ago on, for a calendar app to subscribe to without a bearer token. The same URL until "
        "`DELETE` revokes it; a logout, password change or deactivation in gestion ends it too.",
        responses=CalendarioSerializer,
        filters=False,
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Revoke my calendar feed",
        description=quien("citas.calendario") + " Every feed URL given before answers 404 from now on; the "
        "next `GET` gives a new one.",
        responses={204: None},
        filters=False,
    )
    @action(detail=False, methods=["get", "delete"], filter_backends=[], pagination_class=None)
    def calendario(self, request):
        if request.method == "DELETE":
            calendario_revoke(actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"url": feed_url(request, calendario_token(actor=request.user))})

    @extend_schema(
        summary="Deleted citas",
        description=quien("citas.eliminadas") + " The citas deleted at or after `desde`, oldest first, "
        "for a client that keeps a copy in step (see `actualizada_desde` on the list).",
        parameters=[serializers.EliminadasQuerySerializer],
        responses=serializers.EliminadasSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def eliminadas(self, request):
        query = serializers.EliminadasQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(citas_eliminadas(desde=query.validated_data.get("desde")))
        return self.get_paginated_response(serializers.EliminadaSerializer(page, many=True).data)

    def perform_destroy(self, instance):
        services.cita_delete(cita_id=instance.pk)


class DisponibilidadView(APIView):
    permission_classes = [puede("citas.disponibilidad")]

    @extend_schema(
        summary="Free slots at a centro",
        operation_id="citas_disponibilidad",
        description=quien("citas.disponibilidad")
        + " For the local days `desde` to `hasta` (inclusive, at most 31), "
        "each doctor with a horario at the centro and the starts at which a cita of `duracion_minutos` "
        "could be booked now: stepping by the centro's `intervalo_minutos` from the start of each range, "
        "inside the range, outside every ausencia, clear of the doctor's active citas, within the centro's "
        "notice and horizon. Exactly the starts that booking accepts. 503 when gestion cannot be asked.",
        parameters=[serializers.DisponibilidadQuerySerializer],
        responses={200: serializers.DisponibilidadSerializer, 503: UNAVAILABLE},
    )
    def get(self, request):
        query = serializers.DisponibilidadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        doctores = disponibilidad_centro(**query.validated_data, gestion=gestion())
        body = {
            "id_centro": query.validated_data["id_centro"],
            "duracion_minutos": query.validated_data["duracion_minutos"],
            "doctores": doctores,
        }
        return Response(serializers.DisponibilidadSerializer(body).data)
