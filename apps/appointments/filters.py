from datetime import datetime, time, timedelta

import django_filters
from django.utils import timezone

from apps.appointments.models import Cita, EstadoCita


def local_day_bounds(day) -> tuple[datetime, datetime]:
    """The first instant of a day in TIME_ZONE and of the next: 23 or 25 hours apart on DST changes."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


class CitaFilter(django_filters.FilterSet):
    fecha = django_filters.DateFilter(
        method="filter_local_day", help_text="A day (YYYY-MM-DD) in the clinics' time zone."
    )
    fecha_desde = django_filters.IsoDateTimeFilter(field_name="fecha", lookup_expr="gte")
    fecha_hasta = django_filters.IsoDateTimeFilter(field_name="fecha", lookup_expr="lt")
    estado = django_filters.ChoiceFilter(choices=EstadoCita.choices)

    class Meta:
        model = Cita
        fields = ["fecha", "fecha_desde", "fecha_hasta", "estado", "id_doctor", "id_centro", "id_paciente"]

    def filter_local_day(self, queryset, name, value):
        start, end = local_day_bounds(value)
        return queryset.filter(fecha__gte=start, fecha__lt=end)
