import django_filters

from apps.clinic.models import Doctor, Paciente


class DoctorFilter(django_filters.FilterSet):
    especialidad = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Doctor
        fields = ["especialidad"]


class PacienteFilter(django_filters.FilterSet):
    class Meta:
        model = Paciente
        fields = ["estado"]
