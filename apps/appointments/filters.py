from datetime import UTC, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from rest_framework import serializers

from apps.appointments.models import Cita, EstadoCita

# The message the booking body's InstanteField gives for the same mistake.
OUT_OF_RANGE = serializers.DateTimeField.default_error_messages["overflow"]


def local_day_bounds(day) -> tuple[datetime, datetime]:
    """The first instant of a day in TIME_ZONE and of the next, in UTC (23 or 25 hours apart on DST days)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


class LocalDayField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        try:
            if day is not None:
                local_day_bounds(day)
        except OverflowError as exc:
            raise forms.ValidationError(OUT_OF_RANGE, code="overflow") from exc
        return day


class InstantField(IsoDateTimeField):
    def to_python(self, value):
        instant = super().to_python(value)
        try:
            return instant and instant.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError(OUT_OF_RANGE, code="overflow") from exc


class LocalDayFilter(django_filters.DateFilter):
    field_class = LocalDayField


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class CitaFilter(django_filters.FilterSet):
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

    class Meta:
        model = Cita
        fields = ["fecha", "fecha_desde", "fecha_hasta", "estado", "id_doctor", "id_centro", "id_paciente"]

    def filter_local_day(self, queryset, name, value):
        start, end = local_day_bounds(value)
        return queryset.filter(fecha__gte=start, fecha__lt=end)
