from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer

from apps.accounts.models import User
from apps.accounts.selectors import user_profile_ids


class UserSerializer(serializers.ModelSerializer):
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


class LoginResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField(help_text=_("Seconds until the access token expires."))
    user = UserSerializer()


class RefreshSerializer(TokenRefreshSerializer):
    def validate(self, attrs):
        return {**super().validate(attrs), "token_type": "Bearer", "expires_in": _access_lifetime_seconds()}


class RefreshResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    mensaje = serializers.CharField()
