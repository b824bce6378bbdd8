from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.serializers import NewAccountSerializer, UserSerializer
from apps.clinic import serializers
from apps.clinic.filters import CentroFilter, DoctorFilter, PacienteFilter
from apps.clinic.models import Centro, Doctor, Paciente
from apps.clinic.selectors import pacientes_visibles
from apps.clinic.services import (
    centro_create,
    centro_update,
    doctor_create,
    doctor_update,
    paciente_create,
    paciente_update,
    paciente_usuario_create,
)
from apps.common.bulk import BulkCreateMixin, bulk_create_schema
from apps.common.fields import ID_EN_RUTA
from apps.common.history import HistorialMixin, HistorialSerializer
from apps.common.idempotency import IdempotentPostMixin
from apps.common.openapi import CONFLICT
from apps.common.permissions import PermissionsByActionMixin
from apps.common.roles import quien


class RegistryViewSet(
    IdempotentPostMixin,
    PermissionsByActionMixin,
    HistorialMixin,
    BulkCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, detail, create (one or many) and partial update of a registry record."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [IsAuthenticated]
    entidad: str  # its name in the role table: "centros", "doctores", …
    lookup_value_regex = ID_EN_RUTA
    sync_field = "actualizado"

    @property
    def permisos(self) -> dict[str, str]:
        return {
            "list": f"{self.entidad}.leer",
            "retrieve": f"{self.entidad}.leer",
            "historial": f"{self.entidad}.leer",
            "create": f"{self.entidad}.crear",
            "partial_update": f"{self.entidad}.cambiar",
        }

    @extend_schema(
        summary="A record's history",
        description="As the record's GET. Every write, oldest first: when, who (`id_user`, `rol`), the "
        "`accion`, the request id, and each changed field before and after.",
        responses=HistorialSerializer,
    )
    @action(detail=True, methods=["get"])
    def historial(self, request, pk=None):
        return self.historial_response(self.get_object().history.all())

    def partial_update(self, request, *args, **kwargs):
        self.refuse_unchangeable_fields(request)
        return super().partial_update(request, *args, **kwargs)

    def refuse_unchangeable_fields(self, request) -> None:
        """A field that no role may change (an id, a typo) is bad input: 400 naming it, not ignored."""
        if not isinstance(request.data, dict):
            return  # the serializer answers that the body must be an object
        fields = self.serializer_class().fields
        writable = {name for name, field in fields.items() if not field.read_only}
        unchangeable = sorted(set(request.data) - writable)
        if unchangeable:
            raise ValidationError(
                {name: [_("This field cannot be changed.")] for name in unchangeable}, code="no_modificable"
            )


@extend_schema_view(
    list=extend_schema(summary="List centros", description=quien("centros.leer")),
    retrieve=extend_schema(summary="Get a centro", description=quien("centros.leer")),
    create=bulk_create_schema(
        name="Centro",
        example={"nombre": "Clínica Dental Sol", "direccion": "Calle Mayor 12, Madrid"},
        request=serializers.CentroSerializer,
        response=serializers.CentroSerializer,
        summary="Create centros",
        description=quien("centros.crear")
        + " A centro with the same name and address (any letter case) answers 409.",
    ),
    partial_update=extend_schema(
        summary="Change a centro",
        description=quien("centros.cambiar")
        + " Another centro with the same name and address answers 409. The booking "
        "settings: `antelacion_minima_minutos` (how late a cita may be booked before it starts), "
        "`horizonte_dias` (how far ahead), `intervalo_minutos` (the step between free slots, 5-120).",
        responses={200: serializers.CentroSerializer, 409: CONFLICT},
    ),
)
class CentroViewSet(RegistryViewSet):
    entidad = "centros"
    queryset = Centro.objects.all()
    serializer_class = serializers.CentroSerializer
    create_serializer_class = serializers.CentroSerializer
    create_service = staticmethod(centro_create)
    filterset_class = CentroFilter
    search_fields = ["nombre", "direccion"]
    ordering_fields = ["id_centro", "nombre"]

    def perform_update(self, serializer):
        centro_update(centro=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List doctores", description=quien("doctores.leer")),
    retrieve=extend_schema(summary="Get a doctor", description=quien("doctores.leer")),
    create=bulk_create_schema(
        name="Doctor",
        example={
            "nombre": "Dra. Lucía Martín",
            "especialidad": "Ortodoncia",
            "username": "lucia.martin",
            "password": "clave-segura-2026",
        },
        request=serializers.DoctorCreateSerializer,
        response=serializers.DoctorCreadoSerializer,
        summary="Create doctores",
        description=quien("doctores.crear")
        + " Creates the doctor, its user (rol medico) and the `horarios` given with it "
        "together; a taken username, or ranges that overlap, answer 409.",
    ),
    partial_update=extend_schema(summary="Change a doctor", description=quien("doctores.cambiar")),
)
class DoctorViewSet(RegistryViewSet):
    entidad = "doctores"
    queryset = Doctor.objects.all()
    serializer_class = serializers.DoctorSerializer
    create_serializer_class = serializers.DoctorCreateSerializer
    create_service = staticmethod(doctor_create)
    max_batch = 100  # every item hashes a password
    filterset_class = DoctorFilter
    search_fields = ["nombre", "especialidad"]
    ordering_fields = ["id_doctor", "nombre", "especialidad"]

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.DoctorCreadoSerializer
        return serializers.DoctorSerializer

    def perform_update(self, serializer):
        doctor_update(doctor=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List pacientes", description=quien("pacientes.leer")),
    retrieve=extend_schema(
        summary="Get a paciente", description=quien("pacientes.leer") + " Outside them, 404."
    ),
    create=bulk_create_schema(
        name="Paciente",
        example={
            "nombre": "Javier Gómez Sanz",
            "telefono": "+34 612 345 678",
            "documento": "12345678Z",
            "fecha_nacimiento": "1980-05-17",
            "email": "javier.gomez@example.com",
            "username": "javier.gomez",
            "password": "clave-segura-2026",
        },
        request=serializers.PacienteCreateSerializer,
        response=serializers.PacienteSerializer,
        summary="Create pacientes",
        description=quien("pacientes.crear")
        + " With `username` and `password`, the patient gets its own login (rol paciente) in the same "
        "transaction; without them it has none (`id_user` null) and can be given one later. `documento` "
        "(a DNI or NIE) must have the right check letter (400 `documento_invalido`) and be new (409 "
        "`paciente_duplicado`); a taken username answers 409.",
    ),
    partial_update=extend_schema(
        summary="Change a paciente",
        description=quien("pacientes.cambiar") + " `estado: INACTIVO` deactivates the patient: it can no "
        "longer book. A documento of another patient answers 409.",
        responses={200: serializers.PacienteSerializer, 409: CONFLICT},
    ),
)
class PacienteViewSet(RegistryViewSet):
    entidad = "pacientes"
    queryset = Paciente.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = serializers.PacienteSerializer
    create_serializer_class = serializers.PacienteCreateSerializer
    create_service = staticmethod(paciente_create)
    max_batch = 100  # every item may hash a password
    filterset_class = PacienteFilter
    search_fields = ["nombre", "telefono", "documento"]
    ordering_fields = ["id_paciente", "nombre"]

    @property
    def permisos(self) -> dict[str, str]:
        return {**super().permisos, "usuario": "pacientes.dar_usuario"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return pacientes_visibles(actor=self.request.user)

    def perform_update(self, serializer):
        paciente_update(paciente=serializer.instance, **serializer.validated_data)

    @extend_schema(
        summary="Give a paciente a login",
        operation_id="admin_pacientes_usuario_create",
        description=quien("pacientes.dar_usuario")
        + " For a patient registered without one: its own username and password (rol paciente). A patient "
        "that has a login already answers 409 `paciente_con_usuario`; a taken username answers 409.",
        request=NewAccountSerializer,
        responses={201: UserSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def usuario(self, request, pk=None):
        paciente = self.get_object()
        body = NewAccountSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = paciente_usuario_create(paciente=paciente, **body.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)
