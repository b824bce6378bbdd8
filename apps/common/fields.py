"""Serializer fields both deployables use: strict about what they take (text is a JSON string; a date or
an instant is plain ASCII, with no NUL), as the API's input should be."""

from collections.abc import Mapping
from datetime import UTC, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.utils import html

from apps.common.copies import shallow_copy

NOT_TEXT = _("Give a text (a JSON string).")
# The largest id a database column holds (a signed 64-bit integer); ids in paths have at most 18 digits.
MAX_ID = 2**63 - 1
ID_EN_RUTA = "[0-9]{1,18}"
# Instants before this are refused: no cita, horario or ausencia is that old, and older local times carry
# offsets of seconds (local mean time) that ISO 8601 cannot write.
PRIMER_INSTANTE = datetime(1900, 1, 1, tzinfo=UTC)


def es_texto_plano(data) -> bool:
    """A string of plain ASCII without NUL: the only spelling a date or an instant may have."""
    return isinstance(data, str) and data.isascii() and "\x00" not in data


class SoloTexto:
    """For a text field: a number, a boolean or a list is refused, not turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_TEXT, code="invalid")
        return super().to_internal_value(data)


class TextoField(SoloTexto, serializers.CharField):
    pass


class EmailField(SoloTexto, serializers.EmailField):
    pass


class IdField(serializers.IntegerField):
    """An id: a whole number from 1 to the largest a database column holds."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class RelatedIdField(serializers.PrimaryKeyRelatedField):
    """A related record by its id: an id that is not a whole number in range is refused, not looked up."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or not 1 <= _as_int(data) <= MAX_ID:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def _as_int(data) -> int:
    try:
        return int(data)
    except (TypeError, ValueError):
        return 0


class BooleanField(serializers.BooleanField):
    """true or false, as JSON writes them: not 0, 1, "yes" or "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class EmptyIsNotMissing:
    """In a query string, ``?desde=`` is a date given as nothing (400), not a date left out."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class FechaField(EmptyIsNotMissing, serializers.DateField):
    def to_internal_value(self, value):
        if not es_texto_plano(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


# Far enough from datetime.max that a cita's end can still be computed.
ULTIMO_INSTANTE = datetime(9999, 1, 1, tzinfo=UTC)


class InstanteField(EmptyIsNotMissing, serializers.DateTimeField):
    """An ISO 8601 instant, read in the clinics' time zone when it has no offset, and handed on in UTC.

    In UTC, adding a duration is exact: local wall-clock arithmetic goes wrong around daylight-saving changes.
    """

    default_error_messages = {
        "hora_ambigua": _(
            "That local time is skipped or repeated by a daylight-saving change; give its UTC offset."
        ),
    }

    def to_internal_value(self, value):
        if not es_texto_plano(value):
            self.fail("invalid", format="ISO 8601")
        return super().to_internal_value(value)

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            zone = self.default_timezone()
            # Only a skipped or repeated wall time has two offsets (one per side of the change).
            if value.replace(tzinfo=zone).utcoffset() != value.replace(tzinfo=zone, fold=1).utcoffset():
                self.fail("hora_ambigua")
        try:
            instante = super().enforce_timezone(value).astimezone(UTC)
        except OverflowError:
            self.fail("overflow")
        if not PRIMER_INSTANTE <= instante < ULTIMO_INSTANTE:
            self.fail("overflow")
        return instante

    def to_representation(self, value):
        # Answers carry the clinics' offset, as every other instant of the API does (their zone, not the
        # per-request "current" one: looking that up costs more than the conversion).
        return None if value is None else value.astimezone(timezone.get_default_timezone()).isoformat()


def _unbound_copy(field: serializers.Field) -> serializers.Field:
    """A shallow copy of a field template: binding will give it its own name, parent, label and source;
    what it was built with (choices, validators, arguments) is shared and only read."""
    copia = shallow_copy(field)
    copia.__dict__.pop("fields", None)  # a nested serializer builds its own, from its own templates
    if (child := getattr(field, "child", None)) is not None:  # a list's items: bound to the list at init
        copia.child = _unbound_copy(child)
        copia.child.parent = copia
    return copia


_PLAIN_READ = serializers.Field.get_attribute
_MISSING = object()
# Fields whose answer is their value's alone, not their serializer's, its context's or its request's: those
# whose to_representation is one of these classes' own.
_VALUE_ONLY = {
    cls.to_representation
    for cls in (
        serializers.BooleanField,
        serializers.CharField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.DecimalField,
        serializers.FloatField,
        serializers.IntegerField,
        serializers.BigIntegerField,
        serializers.UUIDField,
        InstanteField,
    )
}


def _answers_from_the_object_alone(serializer: serializers.Serializer) -> bool:
    """Whether every field ``serializer`` answers with reads the object and nothing else: a value-only field
    read as ``Field.get_attribute`` does (no default that may want a context), or a serializer like that."""
    for field in serializer._readable_fields:
        if isinstance(field, BuiltOnce):
            if not _answers_from_the_object_alone(field):
                return False
        elif not (
            type(field).to_representation in _VALUE_ONLY
            and type(field).get_attribute is _PLAIN_READ
            and (field.default is serializers.empty or not callable(field.default))
        ):
            return False
    return True


class BuiltOnce:
    """A serializer whose fields are built once per class, then copied shallowly for each instance.

    DRF deep-copies every declared field for every serializer instance (each copy runs the field's
    ``__init__`` again) and a ModelSerializer reads its model again: the largest cost of reading a body or
    writing an answer. Only binding differs between instances, so copies of unbound templates do.

    Writing an answer is DRF's loop, with what is the same for every row worked out once: the fields it
    reads and, for those that read one attribute of an object as ``Field.get_attribute`` does, the
    attribute, read directly. Anything else (a related field's own reading, a dotted or ``*`` source, a
    dictionary, a missing attribute, a callable) is read by the field itself, as DRF would. When the answer
    depends on the object alone, that plan is worked out once per class, on an instance of its own, and an
    instance whose fields nobody asked for answers without building any; otherwise once per instance.
    """

    def get_fields(self):
        templates = type(self).__dict__.get("_field_templates")
        if templates is None:
            templates = super().get_fields()
            type(self)._field_templates = templates
        return {name: _unbound_copy(field) for name, field in templates.items()}

    def _own_reading_plan(self) -> list:
        return [
            (
                field,
                field.source_attrs[0]
                if len(field.source_attrs) == 1 and type(field).get_attribute is _PLAIN_READ
                else None,
            )
            for field in self._readable_fields
        ]

    def _reading_plan(self) -> list:
        plan = self.__dict__.get("_plan")
        if plan is None:
            cls = type(self)
            if "_shared_plan" not in cls.__dict__:
                specimen = cls()
                cls._shared_plan = (
                    specimen._own_reading_plan() if _answers_from_the_object_alone(specimen) else None
                )
            # An instance whose fields were asked for (and perhaps changed) answers with its own.
            shared = cls._shared_plan if "fields" not in self.__dict__ else None
            plan = self._plan = shared or self._own_reading_plan()
        return plan

    def to_representation(self, instance):
        plain_object = not isinstance(instance, Mapping)
        answer = {}
        for field, attr in self._reading_plan():
            attribute = _MISSING
            if attr is not None and plain_object:
                try:
                    attribute = getattr(instance, attr)
                except Exception:  # the field reads it again, and answers as DRF does
                    attribute = _MISSING
            try:
                if attribute is _MISSING or callable(attribute):
                    attribute = field.get_attribute(instance)
            except serializers.SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            answer[field.field_name] = None if check_for_none is None else field.to_representation(attribute)
        return answer


class Serializer(BuiltOnce, serializers.Serializer):
    pass


class StrictModelSerializer(BuiltOnce, serializers.ModelSerializer):
    """A ModelSerializer whose text, date and instant fields are the strict ones above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextoField,
        models.TextField: TextoField,
        models.EmailField: EmailField,
        models.DateField: FechaField,
        models.DateTimeField: InstanteField,
        models.BooleanField: BooleanField,
    }
    serializer_related_field = RelatedIdField
