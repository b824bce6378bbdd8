from datetime import UTC, timedelta

import django_filters
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, serializers

from apps.common.copies import shallow_copy
from apps.common.fields import MAX_ID, es_texto_plano
from apps.common.localtime import local_day_bounds


class OrderingFilter(filters.OrderingFilter):
    """DRF's ``?ordering=``, with the primary key last: pages of a non-unique ordering (``especialidad``)
    would otherwise skip and repeat rows, since the database may break ties differently per query."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return None if ordering is None else [*ordering, "pk"]


# The message InstanteField (apps.common.fields) gives for the same mistake.
OUT_OF_RANGE = serializers.DateTimeField.default_error_messages["overflow"]


def _plain(value, field: forms.Field) -> None:
    """A date or an instant in a query: plain ASCII, and not given as nothing (``?fecha_hasta=``)."""
    if (value is not None and not es_texto_plano(value)) or value == "":
        raise forms.ValidationError(field.error_messages["invalid"], code="invalid")


class LocalDayField(forms.DateField):
    def to_python(self, value):
        _plain(value, self)
        day = super().to_python(value)
        try:
            if day is not None:
                local_day_bounds(day)
        except OverflowError as exc:
            raise forms.ValidationError(OUT_OF_RANGE, code="overflow") from exc
        return day


class InstantField(IsoDateTimeField):
    def to_python(self, value):
        _plain(value, self)
        instant = super().to_python(value)
        try:
            return instant and instant.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError(OUT_OF_RANGE, code="overflow") from exc


class LocalDayFilter(django_filters.DateFilter):
    field_class = LocalDayField


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


def hasta_asentado():
    """The newest instant a sync feed shows: writes stamped later may belong to transactions still open.

    A row's stamp is taken when it is written, not when its transaction commits, so a transaction that
    commits late can stamp a row earlier than rows already visible. Holding back the last
    ``SYNC_MARGEN_SEGUNDOS`` means that a poller that asks again from the last stamp it saw misses no
    change of a transaction shorter than that.
    """
    return timezone.now() - timedelta(seconds=settings.SYNC_MARGEN_SEGUNDOS)


class ActualizadaDesdeFilter(filters.BaseFilterBackend):
    """``?actualizada_desde=<instant>`` on a list whose view names its ``sync_field``: what changed at or
    after that instant, ordered by (stamp, id), held back by ``hasta_asentado``."""

    param = "actualizada_desde"

    def filter_queryset(self, request, queryset, view):
        field = getattr(view, "sync_field", None)
        raw = request.query_params.get(self.param)
        if field is None or raw is None:
            return queryset
        form_field = InstantField()
        try:
            desde = form_field.clean(raw)
        except forms.ValidationError as exc:
            raise exceptions.ValidationError({self.param: exc.messages}, code="invalid") from exc
        if desde is None:
            raise exceptions.ValidationError({self.param: [_("Give an instant (ISO 8601).")]}, code="invalid")
        return queryset.filter(**{f"{field}__gte": desde, f"{field}__lt": hasta_asentado()}).order_by(
            field, "pk"
        )

    def get_schema_operation_parameters(self, view):
        if getattr(view, "sync_field", None) is None:
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Only what changed at or after this ISO 8601 instant, ordered by (change, "
                f"id). Changes show after {settings.SYNC_MARGEN_SEGUNDOS} s: poll again from the last change "
                "seen.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


class _Templates(dict):
    """Templates that the framework deep-copies for each request (a form's fields, widgets and messages
    included), copied shallowly instead: what they were built with is only read."""

    def __deepcopy__(self, memo):
        return {name: self.copy_of(template) for name, template in self.items()}

    def copy_of(self, template):
        return shallow_copy(template)


class _FilterTemplates(_Templates):
    """A FilterSet's filters: the FilterSet gives each copy its parent; a ``method`` is bound again to its
    copy."""

    def copy_of(self, template):
        filter_ = shallow_copy(template)
        if filter_.method is not None:
            filter_.method = filter_.method
        return filter_


class StaticFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class, and whose filters are copied shallowly for
    each request. django-filter builds a new form class, fields and all, and deep-copies every filter, for
    every request: together about as much as a list's SQL. Only for filters whose fields do not depend on
    the request (no querysets or choices computed per request); each form still gets its own (shallow) copy
    of the fields."""

    @classmethod
    def get_filters(cls):
        return _FilterTemplates(super().get_filters())

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _Templates(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.TypedChoiceFilter):
    """``?activo=true`` or ``false``; anything else (``null``, ``1``) is 400, not "no filter"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class IdFormField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """An id in a query: a whole number from 1 to the largest a database column holds, else 400."""

    field_class = IdFormField
