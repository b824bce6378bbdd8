"""Serializer fields both deployables use."""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Far enough from datetime.max that a cita's end can still be computed.
ULTIMO_INSTANTE = datetime(9999, 1, 1, tzinfo=UTC)


class InstanteField(serializers.DateTimeField):
    """An ISO 8601 instant, read in the clinics' time zone when it has no offset, and handed on in UTC.

    In UTC, adding a duration is exact: local wall-clock arithmetic goes wrong around daylight-saving changes.
    """

    default_error_messages = {
        "hora_ambigua": _(
            "That local time is skipped or repeated by a daylight-saving change; give its UTC offset."
        ),
    }

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
        if instante >= ULTIMO_INSTANTE:
            self.fail("overflow")
        return instante

    def to_representation(self, value):
        # Answers carry the clinics' offset, as every other instant of the API does.
        return None if value is None else timezone.localtime(value).isoformat()
