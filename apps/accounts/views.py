from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from apps.accounts import login_guard, serializers
from apps.accounts.authentication import ServiceJWTAuthentication
from apps.accounts.models import Revocacion
from apps.accounts.services import refresh_token_revoke, user_password_change
from apps.clinic.data import Revocaciones, RevocacionRef
from apps.common.fields import InstanteField, Serializer
from apps.common.openapi import THROTTLED, UNAUTHORIZED
from apps.common.permissions import puede
from apps.common.roles import quien


class LoginView(TokenObtainPairView):
    serializer_class = serializers.LoginSerializer
    authentication_classes = []

    @extend_schema(
        summary="Log in",
        operation_id="auth_login",
        description=(
            "Exchange a username and password for an access token (RS256, short-lived) and a refresh "
            "token. Anyone may call it. After repeated failures from one address, for one username or for "
            "many, every attempt from there answers 429 with `Retry-After` until the window ends."
        ),
        responses={200: serializers.LoginResponseSerializer, 401: UNAUTHORIZED, 429: THROTTLED},
        examples=[
            OpenApiExample(
                "Admin", value={"username": "admin", "password": "una-clave-segura"}, request_only=True
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        username = request.data.get("username", "") if isinstance(request.data, dict) else ""
        wait = login_guard.seconds_locked(login_guard.client_address(request), str(username))
        if wait is not None:
            raise Throttled(wait=wait)
        return super().post(request, *args, **kwargs)  # a failure is counted by authenticate()'s signal


class RefreshView(TokenRefreshView):
    serializer_class = serializers.RefreshSerializer
    authentication_classes = []

    @extend_schema(
        summary="Refresh the access token",
        operation_id="auth_refresh",
        description=(
            "Exchange a refresh token for a new access token and a new refresh token; the old one is revoked."
        ),
        responses={200: serializers.RefreshResponseSerializer, 401: UNAUTHORIZED},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Log out",
        operation_id="auth_logout",
        description="Revoke the caller's refresh token. Any authenticated user.",
        request=serializers.LogoutSerializer,
        responses={200: serializers.MessageSerializer},
    )
    def post(self, request):
        body = serializers.LogoutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        refresh_token_revoke(refresh=body.validated_data["refresh"], user=request.user)
        return Response({"mensaje": _("Session closed.")})


class PasswordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Change my password",
        operation_id="auth_password",
        description="The caller's own password: `actual` must be right (else 400 `password_incorrecta`) and "
        "`nueva` must pass the password rules. Its refresh tokens are revoked: other sessions sign in again.",
        request=serializers.PasswordChangeSerializer,
        responses={204: None},
    )
    def post(self, request):
        body = serializers.PasswordChangeSerializer(data=request.data, context={"user": request.user})
        body.is_valid(raise_exception=True)
        user_password_change(user=request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Who am I",
        operation_id="auth_me",
        description="The caller's user. Any authenticated user.",
        responses=serializers.UserSerializer,
    )
    def get(self, request):
        return Response(serializers.UserSerializer(request.user).data)


class RevocacionesQuerySerializer(Serializer):
    desde = InstanteField(help_text="Revocations recorded at or after this instant.")


class RevocacionesView(APIView):
    permission_classes = [puede("interno.revocaciones")]
    authentication_classes = [ServiceJWTAuthentication]

    @extend_schema(
        summary="Revoked tokens",
        operation_id="interno_revocaciones",
        description=quien("interno.revocaciones") + " The users whose tokens issued before an instant are "
        "refused (after a logout, a deactivation, a password change or a deletion), recorded at or after "
        "`desde`: citas asks every few seconds and refuses those tokens too.",
        parameters=[RevocacionesQuerySerializer],
        responses={200: Revocaciones.json_schema()},
    )
    def get(self, request):
        query = RevocacionesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hasta = timezone.now()
        filas = Revocacion.objects.filter(actualizada__gte=query.validated_data["desde"]).order_by("id_user")
        revocaciones = tuple(RevocacionRef(id_user=fila.id_user, desde=fila.desde) for fila in filas)
        return Response(Revocaciones(hasta=hasta, revocaciones=revocaciones).to_json())
