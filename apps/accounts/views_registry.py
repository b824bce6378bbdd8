from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.accounts import serializers
from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.common.bulk import BulkCreateMixin, bulk_create_schema
from apps.common.permissions import IsAdmin


@extend_schema_view(
    list=extend_schema(summary="List users", description="Role: admin."),
    retrieve=extend_schema(summary="Get a user", description="Role: admin."),
    create=bulk_create_schema(
        name="Usuario",
        example={"username": "marta.ruiz", "password": "clave-segura-2026", "rol": "secretaria"},
        request=serializers.UserCreateSerializer,
        response=serializers.UserSerializer,
        summary="Create users",
        description="Role: admin. Creates admin or secretaria accounts; a taken username answers 409.",
    ),
)
class UsuarioViewSet(
    BulkCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = User.objects.select_related("paciente", "doctor")
    serializer_class = serializers.UserSerializer
    permission_classes = [IsAdmin]
    create_serializer_class = serializers.UserCreateSerializer
    create_service = staticmethod(user_create)
    max_batch = 100  # every item hashes a password
    search_fields = ["username"]
    ordering_fields = ["id_user", "username"]
    filterset_fields = ["rol", "is_active"]
