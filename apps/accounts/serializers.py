from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.models import User
from apps.accounts.selectors import user_profile_ids
from apps.common.authentication import InvalidToken
from apps.common.fields import BooleanField, Serializer, StrictModelSerializer, TextoField
from apps.common.roles import Rol


class UserSerializer(StrictModelSerializer):
    id_paciente = serializers.SerializerMethodField()
    id_doctor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id_user", "username", "rol", "is_active", "id_paciente", "id_doctor"]
        read_only_fields = fields

    def get_id_paciente(self, user: User) -> int | None:
        return user_profile_ids(user)["id_paciente"]

    def get_id_doctor(self, user: User) -> int | None:
        return user_profile_ids(user)["id_doctor"]


def _access_lifetime_seconds() -> int:
    return int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())


class LoginSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: User):
        token = super().get_token(user)
        token["username"] = user.username
        token["rol"] = user.rol
        for claim, value in user_profile_ids(user).items():
            if value is not None:
                token[claim] = value
        return token

    def validate(self, attrs):
        tokens = super().validate(attrs)
        return {
            **tokens,
            "token_type": "Bearer",
            "expires_in": _access_lifetime_seconds(),
            "user": UserSerializer(self.user).data,
        }


class LoginResponseSerializer(Serializer):
    access = TextoField()
    refresh = TextoField()
    token_type = TextoField()
    expires_in = serializers.IntegerField(help_text=_("Seconds until the access token expires."))
    user = UserSerializer()


class RefreshSerializer(TokenRefreshSerializer):
    """Rotate the refresh token. The new tokens are built from the user as stored now, not copied from
    the old token: a changed role or profile, a deactivated or deleted user, takes effect here."""

    def validate(self, attrs):
        old = RefreshToken(attrs["refresh"])  # a TokenError here is answered 401 by the view
        user = User.objects.filter(pk=old.get(api_settings.USER_ID_CLAIM)).first()
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], code="no_active_account"
            )
        _, first_use = old.blacklist()
        if not first_use:  # a concurrent refresh with the same token got there first
            raise InvalidToken()
        new = LoginSerializer.get_token(user)
        return {
            "access": str(new.access_token),
            "refresh": str(new),
            "token_type": "Bearer",
            "expires_in": _access_lifetime_seconds(),
        }


class RefreshResponseSerializer(Serializer):
    access = TextoField()
    refresh = TextoField()
    token_type = TextoField()
    expires_in = serializers.IntegerField()


class LogoutSerializer(Serializer):
    refresh = TextoField()


class MessageSerializer(Serializer):
    mensaje = TextoField()


USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


class NewAccountSerializer(Serializer):
    """The credentials of an account being created; the password must pass the password validators."""

    username = TextoField(max_length=USERNAME_MAX_LENGTH, validators=[UnicodeUsernameValidator()])
    password = TextoField(write_only=True, style={"input_type": "password"}, trim_whitespace=False)

    def validate_username(self, value: str) -> str:
        # Checked again as it will be stored: normalization (NFKC) can lengthen a name (a ligature
        # becomes two letters) or give it characters that a username may not have.
        username = User.normalize_username(value)
        if len(username) > USERNAME_MAX_LENGTH:
            too_long = serializers.CharField.default_error_messages["max_length"]
            raise serializers.ValidationError(
                too_long.format(max_length=USERNAME_MAX_LENGTH), code="max_length"
            )
        UnicodeUsernameValidator()(username)
        return username

    def validate(self, attrs):
        candidate = User(username=attrs["username"])
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {"password": list(exc.messages)}, code="password_invalid"
            ) from exc
        return attrs


class UserCreateSerializer(NewAccountSerializer):
    rol = serializers.ChoiceField(
        choices=[(Rol.ADMIN, Rol.ADMIN.label), (Rol.SECRETARIA, Rol.SECRETARIA.label)]
    )


class UserActivoSerializer(Serializer):
    is_active = BooleanField(help_text="false: the account can no longer log in.")


class PasswordChangeSerializer(Serializer):
    actual = TextoField(trim_whitespace=False, style={"input_type": "password"})
    nueva = TextoField(trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs):
        user = self.context["user"]
        try:
            validate_password(attrs["nueva"], user=user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"nueva": list(exc.messages)}, code="password_invalid") from exc
        return attrs
