"""The history of every write, with django-simple-history: who (``id_user``, ``rol``), when, the request id,
and each field before and after.

Models declare ``history = tracked_history()``. A request's actor is read when the historical row is made,
from the request that simple-history's middleware keeps (DRF puts its authenticated user on it); writes
made outside a request (a management command, a load) have none.
"""

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.dispatch import receiver
from rest_framework import serializers
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from apps.common.fields import Serializer
from apps.common.pagination import PaginaSerializer
from apps.common.request_id import current_request_id
from apps.common.sql import PreparedInsert

# Never kept in a history: secrets, and what the database works out by itself.
UNTRACKED_FIELDS = ["password", "last_login", "clave", "fin"]
# Kept, but not listed as changes: they change with every write.
QUIET_FIELDS = {"actualizada", "actualizado", "creada", "creado"}
ACTIONS_BY_TYPE = {"+": "creado", "~": "cambiado", "-": "eliminado"}


class WriteTrace(PreparedInsert):
    """What a historical row records of the write besides the record: who, as what, in which request."""

    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_rol = models.CharField(max_length=20, blank=True)
    request_id = models.CharField(max_length=128, blank=True)

    class Meta:
        abstract = True


class _HistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        # simple-history builds the manager class anew at every ``Model.history`` read (each write reads it
        # to make its historical row): built once per queryset class instead.
        return super().from_queryset(queryset_class, class_name)


def _no_user(**kwargs):
    return None  # the actor is the WriteTrace's: a citas caller is a token's claims, not a user row


def tracked_history(**options: Any) -> HistoricalRecords:
    excluded = [*UNTRACKED_FIELDS, *options.pop("excluded_fields", [])]
    return HistoricalRecords(
        bases=[WriteTrace],
        get_user=_no_user,
        history_user_id_field=models.BigIntegerField(null=True, blank=True),
        history_manager=_HistoryManager,
        excluded_fields=excluded,
        **options,
    )


@receiver(pre_create_historical_record)
def _trace(sender, history_instance, **kwargs) -> None:
    if not isinstance(history_instance, WriteTrace):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        history_instance.actor_id = getattr(user, "id_user", user.pk)
        history_instance.actor_rol = getattr(user, "rol", "")
    history_instance.request_id = current_request_id() or ""


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def history_entries(registros) -> list[dict[str, Any]]:
    """A record's history as the API answers it: oldest first, each write with its changed fields."""
    anterior = None
    salida = []
    for registro in registros:
        # Named as the API names them: a relation by its column (id_doctor), the rest by the field.
        campos = {
            (f.column if f.is_relation else f.name): f.attname
            for f in registro.instance_type._meta.fields
            if f.name not in QUIET_FIELDS and hasattr(registro, f.attname)
        }
        if registro.history_type == "-":
            cambios = {}
        elif anterior is None:
            cambios = {name: [None, _json(getattr(registro, attr))] for name, attr in campos.items()}
        else:
            cambios = {
                name: [_json(getattr(anterior, attr)), _json(getattr(registro, attr))]
                for name, attr in campos.items()
                if getattr(anterior, attr) != getattr(registro, attr)
            }
        salida.append(
            {
                "fecha": registro.history_date,
                "id_user": registro.actor_id,
                "rol": registro.actor_rol,
                "accion": registro.history_change_reason or ACTIONS_BY_TYPE[registro.history_type],
                "cambios": cambios,
                "request_id": registro.request_id,
            }
        )
        anterior = registro
    return salida


class EntradaHistorialSerializer(Serializer):
    fecha = serializers.DateTimeField()
    id_user = serializers.IntegerField(allow_null=True, help_text="Who wrote it; null outside a request.")
    rol = serializers.CharField(help_text="The writer's role then.")
    accion = serializers.CharField(help_text="creada, cambiada, cancelada, confirmada… or creado, cambiado.")
    cambios = serializers.DictField(
        child=serializers.ListField(min_length=2, max_length=2),
        help_text='Each changed field: `{"campo": [antes, después]}`.',
    )
    request_id = serializers.CharField()


class HistorialSerializer(PaginaSerializer):
    results = EntradaHistorialSerializer(many=True)


class HistorialMixin:
    """The answer of a view set's ``…/{id}/historial``: the history, paginated like its lists."""

    def historial_response(self, registros):
        page = self.paginate_queryset(history_entries(registros.order_by("history_date", "history_id")))
        return self.get_paginated_response(EntradaHistorialSerializer(page, many=True).data)


class HistoryAdmin(SimpleHistoryAdmin):
    """A staff-site admin with the record's history (who, as what, in which request); history is read,
    never reverted (``SIMPLE_HISTORY_REVERT_DISABLED``): writes go through the services."""

    history_list_display = ["history_change_reason", "actor_id", "actor_rol", "request_id"]
