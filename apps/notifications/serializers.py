from rest_framework import serializers

from apps.common.fields import Serializer
from apps.common.pagination import PaginaSerializer
from apps.notifications.models import Notificacion


class NotificacionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notificacion
        fields = [
            "id_notificacion",
            "tipo",
            "canal",
            "estado",
            "intentos",
            "destinatario",
            "creada",
            "proximo_intento",
            "enviada",
            "ultimo_error",
        ]
        read_only_fields = fields


class NotificacionesSerializer(PaginaSerializer):
    results = NotificacionSerializer(many=True)


class CalendarioSerializer(Serializer):
    url = serializers.URLField(help_text="The private feed: iCalendar, readable without a bearer token.")
