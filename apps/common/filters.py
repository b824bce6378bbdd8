from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from rest_framework import filters, serializers

from apps.common.localtime import local_day_bounds


class OrderingFilter(filters.OrderingFilter):
    """DRF's ``?ordering=``, with the primary key last: pages of a non-unique ordering (``especialidad``)
    would otherwise skip and repeat rows, since the database may break ties differently per query."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return None if ordering is None else [*ordering, "pk"]


# The message InstanteField (apps.common.fields) gives for the same mistake.
OUT_OF_RANGE = serializers.DateTimeField.default_error_messages["overflow"]


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
