from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.serializers import NewAccountSerializer
from apps.clinic.data import hora_a_minutos, minutos_a_hora
from apps.clinic.documentos import documento_normalizado, documento_valido
from apps.clinic.models import Ausencia, Centro, Doctor, EstadoPaciente, Horario, Paciente
from apps.common.fields import (
    EmailField,
    FechaField,
    IdField,
    InstanteField,
    RelatedIdField,
    Serializer,
    StrictModelSerializer,
    TextoField,
)


class CentroSerializer(StrictModelSerializer):
    class Meta:
        model = Centro
        fields = [
            "id_centro",
            "nombre",
            "direccion",
            "antelacion_minima_minutos",
            "horizonte_dias",
            "intervalo_minutos",
            "activo",
        ]
        # Uniqueness is the database's and the service's job (409), not a serializer's (400).
        validators = []


class DoctorSerializer(StrictModelSerializer):
    id_user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)

    class Meta:
        model = Doctor
        fields = ["id_doctor", "id_user", "nombre", "especialidad", "activo"]


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class HoraField(serializers.Field):
    """A local wall time as ``HH:MM`` (``24:00`` is the end of the day); minutes since midnight inside."""

    default_error_messages = {"invalid": _("Enter a time as HH:MM, from 00:00 to 24:00.")}

    def to_internal_value(self, data):
        try:
            return hora_a_minutos(data)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return minutos_a_hora(value)


def _before(first, then, *, strictly: bool = True) -> bool:
    """Whether ``first`` comes before ``then``; true when either is unknown (an open bound)."""
    if first is None or then is None:
        return True
    return first < then if strictly else first <= then


class HorarioSerializer(StrictModelSerializer):
    id_doctor = RelatedIdField(source="doctor", queryset=Doctor.objects.all())
    id_centro = RelatedIdField(source="centro", queryset=Centro.objects.all())
    dia_semana = serializers.IntegerField(min_value=1, max_value=7, help_text="ISO weekday: 1 is lunes.")
    hora_inicio = HoraField()
    hora_fin = HoraField(help_text="Exclusive; 24:00 is the end of the day.")

    class Meta:
        model = Horario
        fields = [
            "id_horario",
            "id_doctor",
            "id_centro",
            "dia_semana",
            "hora_inicio",
            "hora_fin",
            "vigente_desde",
            "vigente_hasta",
        ]

    def validate(self, attrs):
        def value(name):
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        if not _before(value("hora_inicio"), value("hora_fin")):
            raise serializers.ValidationError(
                {"hora_fin": [_("The range must end after it starts.")]}, code="horas_invalidas"
            )
        if not _before(value("vigente_desde"), value("vigente_hasta"), strictly=False):
            raise serializers.ValidationError(
                {"vigente_hasta": [_("The range cannot stop being in force before it starts.")]},
                code="vigencia_invalida",
            )
        return attrs


class HorarioDeDoctorSerializer(HorarioSerializer):
    """A range of the doctor being created, given with it."""

    class Meta(HorarioSerializer.Meta):
        fields = ["id_centro", "dia_semana", "hora_inicio", "hora_fin", "vigente_desde", "vigente_hasta"]


class DoctorCreateSerializer(NewAccountSerializer):
    nombre = TextoField(max_length=200)
    especialidad = TextoField(max_length=100)
    horarios = HorarioDeDoctorSerializer(
        many=True, required=False, help_text="Its weekly ranges, created with it (all or none)."
    )


class DoctorCreadoSerializer(DoctorSerializer):
    """A new doctor, with the ranges created with it."""

    horarios = HorarioSerializer(many=True, read_only=True)

    class Meta(DoctorSerializer.Meta):
        fields = [*DoctorSerializer.Meta.fields, "horarios"]


class AusenciaSerializer(StrictModelSerializer):
    id_doctor = RelatedIdField(
        source="doctor", queryset=Doctor.objects.all(), allow_null=True, required=False
    )
    id_centro = RelatedIdField(
        source="centro", queryset=Centro.objects.all(), allow_null=True, required=False
    )
    inicio = InstanteField(help_text="ISO 8601; without an offset it is read in the clinics' time zone.")
    fin = InstanteField(help_text="Exclusive.")

    class Meta:
        model = Ausencia
        fields = ["id_ausencia", "id_doctor", "id_centro", "inicio", "fin", "motivo"]

    def validate(self, attrs):
        def value(name):
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        if (value("doctor") is None) == (value("centro") is None):
            raise serializers.ValidationError(
                {"id_doctor": [_("An ausencia is either a doctor's or a centro's: give exactly one.")]},
                code="ausencia_de_quien",
            )
        if value("inicio") is not None and value("fin") is not None and value("inicio") >= value("fin"):
            raise serializers.ValidationError(
                {"fin": [_("It must end after it starts.")]}, code="fin_invalido"
            )
        return attrs


class DocumentoField(TextoField):
    """A Spanish DNI or NIE, its check letter checked; stored upper case without separators. Blank is none."""

    default_error_messages = {"documento_invalido": _("Enter a valid DNI or NIE, with its check letter.")}

    def __init__(self, **kwargs):
        super().__init__(max_length=20, allow_null=True, allow_blank=True, required=False, **kwargs)

    def to_internal_value(self, data):
        documento = documento_normalizado(super().to_internal_value(data))
        if not documento:
            return None
        if not documento_valido(documento):
            self.fail("documento_invalido")
        return documento


class PacienteSerializer(StrictModelSerializer):
    id_user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    documento = DocumentoField(help_text="DNI or NIE; unique.")

    class Meta:
        model = Paciente
        fields = [
            "id_paciente",
            "id_user",
            "nombre",
            "telefono",
            "estado",
            "documento",
            "fecha_nacimiento",
            "email",
        ]
        # Always in an answer; without this the schema would make it optional (the model has a default).
        extra_kwargs = {"estado": {"required": True}}

    def validate_fecha_nacimiento(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(
                _("A date of birth cannot be in the future."), code="fecha_futura"
            )
        return value


class PacienteCreateSerializer(NewAccountSerializer):
    """A patient, with a login when given both a username and a password (neither: no login)."""

    nombre = TextoField(max_length=200)
    telefono = TextoField(max_length=20, validators=Paciente._meta.get_field("telefono").validators)
    estado = serializers.ChoiceField(choices=EstadoPaciente.choices, default=EstadoPaciente.ACTIVO)
    documento = DocumentoField(help_text="DNI or NIE; unique: a patient already registered answers 409.")
    fecha_nacimiento = FechaField(required=False, allow_null=True)
    email = EmailField(required=False, allow_blank=True)
    username = TextoField(
        max_length=NewAccountSerializer().fields["username"].max_length,
        validators=NewAccountSerializer().fields["username"].validators,
        required=False,
        help_text="With password: the patient's own login. Leave both out for a patient without one.",
    )
    password = TextoField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False, required=False
    )

    validate_fecha_nacimiento = PacienteSerializer.validate_fecha_nacimiento

    def validate(self, attrs):
        if ("username" in attrs) != ("password" in attrs):
            raise serializers.ValidationError(
                {"username": [_("Give both a username and a password, or neither.")]},
                code="cuenta_incompleta",
            )
        return super().validate(attrs) if "username" in attrs else attrs


class CredencialesSerializer(Serializer):
    username = TextoField(max_length=300)
    password = TextoField(max_length=4096, trim_whitespace=False)
    direccion = TextoField(max_length=64, help_text="The address the person signs in from.")


class ReferenciasQuerySerializer(Serializer):
    id_doctor = IdField()
    id_centro = IdField()
    id_paciente = IdField()
    desde = InstanteField(
        required=False, help_text="Start of the cita: the horario of its days, ausencias from here on."
    )
    hasta = InstanteField(required=False, help_text="End of the cita: ausencias until here.")


# A window of availability is at most 31 local days, which a DST change can lengthen by an hour.
AGENDA_VENTANA_MAXIMA = timedelta(days=32)


class AgendaQuerySerializer(Serializer):
    id_centro = IdField()
    desde = InstanteField()
    hasta = InstanteField()
    id_doctor = IdField(required=False)
    especialidad = TextoField(max_length=100, required=False)

    def validate(self, attrs):
        if not attrs["desde"] < attrs["hasta"] <= attrs["desde"] + AGENDA_VENTANA_MAXIMA:
            raise serializers.ValidationError(
                {"hasta": [_("The window must end after it starts, within 32 days.")]},
                code="ventana_invalida",
            )
        return attrs
