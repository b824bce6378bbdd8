from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.accounts import serializers
from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.common.bulk import BulkCreateMixin, bulk_create_schema
from apps.common.permissions import PermissionsByActionMixin
from apps.common.roles import quien


@extend_schema_view(
    list=extend_schema(summary="List users", description=quien("usuarios.leer")),
    retrieve=extend_schema(summary="Get a user", description=quien("usuarios.leer")),
    create=bulk_create_schema(
        name="Usuario",
        example={"username": "marta.ruiz", "password": "clave-segura-2026", "rol": "secretaria"},
        request=serializers.UserCreateSerializer,
        response=serializers.UserSerializer,
        summary="Create users",
        description=quien("usuarios.crear")
        + " Creates admin or secretaria accounts; a taken username answers 409.",
    ),
)
class UsuarioViewSet(
    PermissionsByActionMixin,
    BulkCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = User.objects.select_related("paciente", "doctor")
    serializer_class = serializers.UserSerializer
    permisos = {"list": "usuarios.leer", "retrieve": "usuarios.leer", "create": "usuarios.crear"}
    create_serializer_class = serializers.UserCreateSerializer
    create_service = staticmethod(user_create)
    max_batch = 100  # every item hashes a password
    search_fields = ["username"]
    ordering_fields = ["id_user", "username"]
    filterset_fields = ["rol", "is_active"]
