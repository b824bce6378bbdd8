from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts import serializers
from apps.accounts.filters import UserFilter
from apps.accounts.models import User
from apps.accounts.services import user_activo_set, user_create
from apps.common.bulk import BulkCreateMixin, bulk_create_schema
from apps.common.fields import ID_EN_RUTA
from apps.common.idempotency import IdempotentPostMixin
from apps.common.permissions import PermissionsByActionMixin
from apps.common.roles import quien


@extend_schema_view(
    list=extend_schema(summary="List users", description=quien("usuarios.leer")),
    retrieve=extend_schema(summary="Get a user", description=quien("usuarios.leer")),
    partial_update=extend_schema(
        summary="Deactivate or reactivate a user",
        description=quien("usuarios.cambiar") + " `is_active: false`: it can no longer log in, and its "
        "refresh tokens are revoked.",
        request=serializers.UserActivoSerializer,
        responses=serializers.UserSerializer,
    ),
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
    IdempotentPostMixin,
    PermissionsByActionMixin,
    BulkCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = User.objects.select_related("paciente", "doctor")
    serializer_class = serializers.UserSerializer
    permisos = {
        "list": "usuarios.leer",
        "retrieve": "usuarios.leer",
        "create": "usuarios.crear",
        "partial_update": "usuarios.cambiar",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID_EN_RUTA

    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        unknown = sorted(set(request.data) - {"is_active"}) if isinstance(request.data, dict) else []
        if unknown:
            raise ValidationError(
                {name: [_("This field cannot be changed.")] for name in unknown}, code="no_modificable"
            )
        body = serializers.UserActivoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(serializers.UserSerializer(user_activo_set(user=user, **body.validated_data)).data)

    create_serializer_class = serializers.UserCreateSerializer
    create_service = staticmethod(user_create)
    max_batch = 100  # every item hashes a password
    search_fields = ["username"]
    ordering_fields = ["id_user", "username"]
    filterset_class = UserFilter
