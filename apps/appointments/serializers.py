from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.appointments.models import DURACION_MAXIMA, DURACION_MINIMA, DURACION_POR_DEFECTO, Cita, EstadoCita
from apps.common.fields import (
    FechaField,
    IdField,
    InstanteField,
    Serializer,
    StrictModelSerializer,
    TextoField,
)
from apps.common.pagination import PaginaSerializer


class PacienteDeCitaSerializer(Serializer):
    id = serializers.IntegerField(source="id_paciente")
    nombre = TextoField(source="paciente_nombre")


class DoctorDeCitaSerializer(Serializer):
    id = serializers.IntegerField(source="id_doctor")
    nombre = TextoField(source="doctor_nombre")
    especialidad = TextoField(source="doctor_especialidad")


class CentroDeCitaSerializer(Serializer):
    id = serializers.IntegerField(source="id_centro")
    nombre = TextoField(source="centro_nombre")


BOOKED_AS = "As gestion named it when the cita was booked."


class CitaSerializer(StrictModelSerializer):
    id_cita_anterior = serializers.IntegerField(source="cita_anterior_id", read_only=True, allow_null=True)
    paciente = PacienteDeCitaSerializer(source="*", read_only=True, help_text=BOOKED_AS)
    doctor = DoctorDeCitaSerializer(source="*", read_only=True, help_text=BOOKED_AS)
    centro = CentroDeCitaSerializer(source="*", read_only=True, help_text=BOOKED_AS)

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
            "paciente",
            "doctor",
            "centro",
            "id_user_registrado",
            "id_cita_anterior",
            "motivo_cancelacion",
            "id_user_cancelacion",
            "cancelada",
            "creada",
            "actualizada",
        ]
        read_only_fields = fields


class CitaCrearSerializer(Serializer):
    fecha = InstanteField(help_text="ISO 8601; without an offset it is read in the clinics' time zone.")
    duracion_minutos = serializers.IntegerField(
        min_value=DURACION_MINIMA, max_value=DURACION_MAXIMA, default=DURACION_POR_DEFECTO
    )
    motivo = TextoField(max_length=500, allow_blank=True, default="")
    id_doctor = IdField()
    id_centro = IdField()
    id_paciente = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Required for admin; a patient books for itself and may omit it.",
    )


class CitaCambiarSerializer(Serializer):
    """Either a cancellation (`estado: CANCELADA`) or a change (a new `fecha` and optionally more)."""

    estado = serializers.ChoiceField(
        choices=[(EstadoCita.CANCELADA, EstadoCita.CANCELADA.label)], required=False
    )
    motivo_cancelacion = TextoField(max_length=500, allow_blank=True, required=False)
    fecha = InstanteField(required=False)
    id_doctor = IdField(required=False)
    id_centro = IdField(required=False)
    motivo = TextoField(max_length=500, allow_blank=True, required=False)
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


class CitaActualizadaSerializer(Serializer):
    """The answer to a PUT: the cita as it is now and, after a change, the one it replaced."""

    mensaje = TextoField()
    cita = CitaSerializer()
    cita_anterior = CitaSerializer(required=False, help_text="Only after a change: the cancelled cita.")


class EliminadasQuerySerializer(Serializer):
    desde = InstanteField(required=False, help_text="Deleted at or after this instant (ISO 8601).")


class EliminadaSerializer(Serializer):
    id_cita = serializers.IntegerField()
    eliminada = serializers.DateTimeField(source="history_date")


class EliminadasSerializer(PaginaSerializer):
    results = EliminadaSerializer(many=True)


DISPONIBILIDAD_DIAS_MAXIMOS = 31


class DisponibilidadQuerySerializer(Serializer):
    id_centro = IdField()
    desde = FechaField(help_text="First local day (YYYY-MM-DD).")
    hasta = FechaField(help_text="Last local day, inclusive; at most 31 days in all.")
    id_doctor = IdField(required=False)
    especialidad = TextoField(max_length=100, required=False)
    duracion_minutos = serializers.IntegerField(
        min_value=DURACION_MINIMA, max_value=DURACION_MAXIMA, default=DURACION_POR_DEFECTO
    )

    def validate(self, attrs):
        dias = (attrs["hasta"] - attrs["desde"]).days + 1
        if not 1 <= dias <= DISPONIBILIDAD_DIAS_MAXIMOS:
            raise serializers.ValidationError(
                {"hasta": [_("From desde to hasta there must be 1 to 31 days.")]}, code="ventana_invalida"
            )
        return attrs


class HuecosDoctorSerializer(Serializer):
    id_doctor = serializers.IntegerField(source="doctor.id_doctor")
    nombre = TextoField(source="doctor.nombre")
    especialidad = TextoField(source="doctor.especialidad")
    huecos = serializers.ListField(
        child=serializers.DateTimeField(), help_text="Free starts, in order, with their UTC offset."
    )


class DisponibilidadSerializer(Serializer):
    id_centro = serializers.IntegerField()
    duracion_minutos = serializers.IntegerField()
    doctores = HuecosDoctorSerializer(many=True)
