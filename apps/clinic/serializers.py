from rest_framework import serializers

from apps.accounts.serializers import NewAccountSerializer
from apps.clinic.models import Centro, Doctor, EstadoPaciente, Paciente


class CentroSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centro
        fields = ["id_centro", "nombre", "direccion"]
        # Uniqueness is the database's and the service's job (409), not a serializer's (400).
        validators = []


class DoctorSerializer(serializers.ModelSerializer):
    id_user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)

    class Meta:
        model = Doctor
        fields = ["id_doctor", "id_user", "nombre", "especialidad"]


class DoctorCreateSerializer(NewAccountSerializer):
    nombre = serializers.CharField(max_length=200)
    especialidad = serializers.CharField(max_length=100)


class PacienteSerializer(serializers.ModelSerializer):
    id_user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)

    class Meta:
        model = Paciente
        fields = ["id_paciente", "id_user", "nombre", "telefono", "estado"]
        # Always in an answer; without this the schema would make it optional (the model has a default).
        extra_kwargs = {"estado": {"required": True}}


class PacienteContactoSerializer(serializers.ModelSerializer):
    """What a secretaria may change in a patient's record."""

    class Meta:
        model = Paciente
        fields = ["telefono", "estado"]


class PacienteCreateSerializer(NewAccountSerializer):
    nombre = serializers.CharField(max_length=200)
    telefono = serializers.CharField(
        max_length=20, validators=Paciente._meta.get_field("telefono").validators
    )
    estado = serializers.ChoiceField(choices=EstadoPaciente.choices, default=EstadoPaciente.ACTIVO)


class ReferenciasQuerySerializer(serializers.Serializer):
    id_doctor = serializers.IntegerField(min_value=1)
    id_centro = serializers.IntegerField(min_value=1)
    id_paciente = serializers.IntegerField(min_value=1)


class DoctorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Doctor
        fields = ["id_doctor", "nombre", "especialidad"]


class CentroRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centro
        fields = ["id_centro", "nombre"]


class PacienteRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Paciente
        fields = ["id_paciente", "nombre", "estado"]
        read_only_fields = fields


class ReferenciasSerializer(serializers.Serializer):
    doctor = DoctorRefSerializer(allow_null=True)
    centro = CentroRefSerializer(allow_null=True)
    paciente = PacienteRefSerializer(allow_null=True)
