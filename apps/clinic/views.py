from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.clinic import serializers
from apps.clinic.filters import DoctorFilter, PacienteFilter
from apps.clinic.models import Centro, Doctor, Paciente
from apps.clinic.selectors import pacientes_visibles
from apps.clinic.services import (
    centro_create,
    centro_update,
    doctor_create,
    doctor_update,
    paciente_create,
    paciente_update,
)
from apps.common.bulk import BulkCreateMixin, bulk_create_schema
from apps.common.openapi import CONFLICT
from apps.common.permissions import IsAdmin, PermissionsByActionMixin, roles
from apps.common.roles import Rol


class RegistryViewSet(
    PermissionsByActionMixin,
    BulkCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, detail, create (one or many) and partial update of a registry record."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [IsAuthenticated]
    permissions_by_action = {"create": [IsAdmin], "partial_update": [IsAdmin]}

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
    list=extend_schema(summary="List centros", description="Any authenticated user."),
    retrieve=extend_schema(summary="Get a centro", description="Any authenticated user."),
    create=bulk_create_schema(
        name="Centro",
        example={"nombre": "Clínica Dental Sol", "direccion": "Calle Mayor 12, Madrid"},
        request=serializers.CentroSerializer,
        response=serializers.CentroSerializer,
        summary="Create centros",
        description="Role: admin. A centro with the same name and address (any letter case) answers 409.",
    ),
    partial_update=extend_schema(
        summary="Change a centro",
        description="Role: admin. Another centro with the same name and address answers 409. The booking "
        "settings: `antelacion_minima_minutos` (how late a cita may be booked before it starts), "
        "`horizonte_dias` (how far ahead), `intervalo_minutos` (the step between free slots, 5-120).",
        responses={200: serializers.CentroSerializer, 409: CONFLICT},
    ),
)
class CentroViewSet(RegistryViewSet):
    queryset = Centro.objects.all()
    serializer_class = serializers.CentroSerializer
    create_serializer_class = serializers.CentroSerializer
    create_service = staticmethod(centro_create)
    search_fields = ["nombre", "direccion"]
    ordering_fields = ["id_centro", "nombre"]

    def perform_update(self, serializer):
        centro_update(centro=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="List doctores", description="Any authenticated user."),
    retrieve=extend_schema(summary="Get a doctor", description="Any authenticated user."),
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
        description="Role: admin. Creates the doctor, its user (rol medico) and the `horarios` given with it "
        "together; a taken username, or ranges that overlap, answer 409.",
    ),
    partial_update=extend_schema(summary="Change a doctor", description="Role: admin."),
)
class DoctorViewSet(RegistryViewSet):
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


PATIENT_READERS = roles(Rol.ADMIN, Rol.SECRETARIA, Rol.MEDICO, Rol.SERVICIO, Rol.PACIENTE)


@extend_schema_view(
    list=extend_schema(
        summary="List pacientes",
        description="Roles: admin, secretaria, medico, servicio; a paciente sees its own record only.",
    ),
    retrieve=extend_schema(
        summary="Get a paciente",
        description="Roles: admin, secretaria, medico, servicio; a paciente its own record only (else 404).",
    ),
    create=bulk_create_schema(
        name="Paciente",
        example={
            "nombre": "Javier Gómez Sanz",
            "telefono": "+34 612 345 678",
            "estado": "ACTIVO",
            "username": "javier.gomez",
            "password": "clave-segura-2026",
        },
        request=serializers.PacienteCreateSerializer,
        response=serializers.PacienteSerializer,
        summary="Create pacientes",
        description="Role: admin. Creates the patient and its user (rol paciente) together; a taken username "
        "answers 409.",
    ),
    partial_update=extend_schema(
        summary="Change a paciente",
        description="Role: admin (any field); secretaria (telefono and estado only). `estado: INACTIVO` "
        "deactivates the patient: it can no longer book.",
    ),
)
class PacienteViewSet(RegistryViewSet):
    queryset = Paciente.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = serializers.PacienteSerializer
    permission_classes = [PATIENT_READERS]
    permissions_by_action = {"create": [IsAdmin], "partial_update": [roles(Rol.ADMIN, Rol.SECRETARIA)]}
    create_serializer_class = serializers.PacienteCreateSerializer
    create_service = staticmethod(paciente_create)
    max_batch = 100  # every item hashes a password
    filterset_class = PacienteFilter
    search_fields = ["nombre", "telefono"]
    ordering_fields = ["id_paciente", "nombre"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return pacientes_visibles(actor=self.request.user)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return serializers.PacienteSerializer
        if self.action == "partial_update" and self.request.user.rol == Rol.SECRETARIA:
            return serializers.PacienteContactoSerializer
        return serializers.PacienteSerializer

    def partial_update(self, request, *args, **kwargs):
        paciente = self.get_object()
        self.refuse_unchangeable_fields(request)
        changes = self.get_serializer(paciente, data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        refused = set(request.data) - set(changes.fields)  # e.g. a secretaria renaming a patient
        if refused:
            raise PermissionDenied(
                _("Your role may not change: %(fields)s.") % {"fields": ", ".join(sorted(refused))}
            )
        paciente_update(paciente=paciente, **changes.validated_data)
        return Response(serializers.PacienteSerializer(paciente).data)
