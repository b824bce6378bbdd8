from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.appointments.models import DURACION_MAXIMA, DURACION_MINIMA, DURACION_POR_DEFECTO, Cita, EstadoCita


class CitaSerializer(serializers.ModelSerializer):
    id_cita_anterior = serializers.IntegerField(source="cita_anterior_id", read_only=True, allow_null=True)

    class Meta:
        model = Cita
        fields = [
            "id_cita",
            "fecha",
            "duracion_minutos",
            "motivo",
            "estado",
            "id_paciente",
            "id_doctor",
            "id_centro",
            "id_user_registrado",
            "id_cita_anterior",
            "motivo_cancelacion",
            "id_user_cancelacion",
            "cancelada",
            "creada",
            "actualizada",
        ]
        read_only_fields = fields


# Far enough from datetime.max that a cita's end can still be computed.
ULTIMO_INSTANTE = datetime(9999, 1, 1, tzinfo=UTC)


class InstanteField(serializers.DateTimeField):
    """An ISO 8601 instant, read in the clinics' time zone when it has no offset, and handed on in UTC.

    In UTC, adding a duration is exact: local wall-clock arithmetic goes wrong around daylight-saving changes.
    """

    default_error_messages = {
        "hora_ambigua": _(
            "That local time is skipped or repeated by a daylight-saving change; give its UTC offset."
        ),
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            zone = self.default_timezone()
            # Only a skipped or repeated wall time has two offsets (one per side of the change).
            if value.replace(tzinfo=zone).utcoffset() != value.replace(tzinfo=zone, fold=1).utcoffset():
                self.fail("hora_ambigua")
        try:
            instante = super().enforce_timezone(value).astimezone(UTC)
        except OverflowError:
            self.fail("overflow")
        if instante >= ULTIMO_INSTANTE:
            self.fail("overflow")
        return instante


class CitaCrearSerializer(serializers.Serializer):
    fecha = InstanteField(help_text="ISO 8601; without an offset it is read in the clinics' time zone.")
    duracion_minutos = serializers.IntegerField(
        min_value=DURACION_MINIMA, max_value=DURACION_MAXIMA, default=DURACION_POR_DEFECTO
    )
    motivo = serializers.CharField(max_length=500, allow_blank=True, default="")
    id_doctor = serializers.IntegerField(min_value=1)
    id_centro = serializers.IntegerField(min_value=1)
    id_paciente = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Required for admin; a patient books for itself and may omit it.",
    )


class CitaCambiarSerializer(serializers.Serializer):
    """Either a cancellation (`estado: CANCELADA`) or a change (a new `fecha` and optionally more)."""

    estado = serializers.ChoiceField(
        choices=[(EstadoCita.CANCELADA, EstadoCita.CANCELADA.label)], required=False
    )
    motivo_cancelacion = serializers.CharField(max_length=500, allow_blank=True, required=False)
    fecha = InstanteField(required=False)
    id_doctor = serializers.IntegerField(min_value=1, required=False)
    id_centro = serializers.IntegerField(min_value=1, required=False)
    motivo = serializers.CharField(max_length=500, allow_blank=True, required=False)
    duracion_minutos = serializers.IntegerField(
        min_value=DURACION_MINIMA, max_value=DURACION_MAXIMA, required=False
    )

    CAMBIO = ("fecha", "id_doctor", "id_centro", "motivo", "duracion_minutos")

    def validate(self, attrs):
        cancela = "estado" in attrs
        cambia = any(field in attrs for field in self.CAMBIO)
        if cancela and cambia:
            raise serializers.ValidationError(
                _("Send either estado CANCELADA or the changes of the cita, not both."),
                code="peticion_ambigua",
            )
        if not cancela and "fecha" not in attrs:
            raise serializers.ValidationError(
                {"fecha": [_("To change a cita send its new fecha; to cancel it send estado CANCELADA.")]},
                code="required",
            )
        if not cancela and "motivo_cancelacion" in attrs:
            raise serializers.ValidationError(
                {"motivo_cancelacion": [_("Only a cancellation takes a motivo_cancelacion.")]}, code="invalid"
            )
        return attrs

    @property
    def cancela(self) -> bool:
        return "estado" in self.validated_data


class CitaActualizadaSerializer(serializers.Serializer):
    """The answer to a PUT: the cita as it is now and, after a change, the one it replaced."""

    mensaje = serializers.CharField()
    cita = CitaSerializer()
    cita_anterior = CitaSerializer(required=False, help_text="Only after a change: the cancelled cita.")
