import django_filters

from apps.appointments.models import Cita, EstadoCita
from apps.common.filters import IdFilter, InstantFilter, LocalDayFilter, StaticFilterSet
from apps.common.localtime import local_day_bounds


class CitaFilter(StaticFilterSet):
    fecha = LocalDayFilter(
        method="filter_local_day", help_text="A day (YYYY-MM-DD) in the clinics' time zone."
    )
    fecha_desde = InstantFilter(
        field_name="fecha", lookup_expr="gte", help_text="Citas starting at or after this ISO 8601 instant."
    )
    fecha_hasta = InstantFilter(
        field_name="fecha",
        lookup_expr="lt",
        help_text="Citas starting before this ISO 8601 instant (exclusive: a bare date means its midnight).",
    )
    estado = django_filters.ChoiceFilter(choices=EstadoCita.choices)
    id_doctor = IdFilter()
    id_centro = IdFilter()
    id_paciente = IdFilter()

    class Meta:
        model = Cita
        fields = ["fecha", "fecha_desde", "fecha_hasta", "estado", "id_doctor", "id_centro", "id_paciente"]

    def filter_local_day(self, queryset, name, value):
        start, end = local_day_bounds(value)
        return queryset.filter(fecha__gte=start, fecha__lt=end)
