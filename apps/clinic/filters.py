import django_filters

from apps.clinic.models import Ausencia, Centro, DiaSemana, Doctor, Horario, Paciente
from apps.common.filters import BooleanFilter, IdFilter, InstantFilter, StaticFilterSet


class DoctorFilter(StaticFilterSet):
    especialidad = django_filters.CharFilter(lookup_expr="iexact")
    activo = BooleanFilter()

    class Meta:
        model = Doctor
        fields = ["especialidad", "activo"]


class CentroFilter(StaticFilterSet):
    activo = BooleanFilter()

    class Meta:
        model = Centro
        fields = ["activo"]


class PacienteFilter(StaticFilterSet):
    class Meta:
        model = Paciente
        fields = ["estado"]


class HorarioFilter(StaticFilterSet):
    id_doctor = IdFilter(field_name="doctor")
    id_centro = IdFilter(field_name="centro")
    dia_semana = django_filters.ChoiceFilter(choices=DiaSemana.choices)

    class Meta:
        model = Horario
        fields = ["id_doctor", "id_centro", "dia_semana"]


class AusenciaFilter(StaticFilterSet):
    id_doctor = IdFilter(field_name="doctor")
    id_centro = IdFilter(field_name="centro")
    desde = InstantFilter(
        field_name="fin", lookup_expr="gt", help_text="Ausencias still going on at or after this instant."
    )
    hasta = InstantFilter(
        field_name="inicio", lookup_expr="lt", help_text="Ausencias that began before this instant."
    )

    class Meta:
        model = Ausencia
        fields = ["id_doctor", "id_centro", "desde", "hasta"]
