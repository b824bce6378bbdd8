"""Loading the demo-data CSV files straight into gestion's database, through the same serializers
and service functions as the API: what the API would refuse, this refuses too."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import MultipleObjectsReturned
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.models import User
from apps.accounts.serializers import UserCreateSerializer
from apps.accounts.services import user_create
from apps.clinic.csv_rows import LOAD_ORDER, CsvFileError, Kind, RowResult, SeenKeys, read_rows
from apps.clinic.models import Centro, Doctor
from apps.clinic.serializers import (
    CentroSerializer,
    DoctorCreateSerializer,
    HorarioSerializer,
    PacienteCreateSerializer,
)
from apps.clinic.services import centro_create, doctor_create, horario_create, paciente_create
from apps.common.exceptions import AlreadyExists, DomainError


class DoctorPorUsername(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="user__username", queryset=Doctor.objects.all(), **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(User.normalize_username(str(data)))


class CentroPorNombre(serializers.SlugRelatedField):
    default_error_messages = {"ambiguo": _("More than one centro is called {value}.")}

    def __init__(self, **kwargs):
        super().__init__(slug_field="nombre", queryset=Centro.objects.all(), **kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except MultipleObjectsReturned:
            self.fail("ambiguo", value=data)


class HorarioCsvSerializer(HorarioSerializer):
    """A row of horarios.csv: its doctor by username and its centro by name."""

    id_doctor = None
    id_centro = None
    doctor = DoctorPorUsername()
    centro = CentroPorNombre()

    class Meta(HorarioSerializer.Meta):
        fields = [
            "doctor",
            "centro",
            "dia_semana",
            "hora_inicio",
            "hora_fin",
            "vigente_desde",
            "vigente_hasta",
        ]


LOADERS: dict[Kind, tuple[type[serializers.Serializer], Callable[..., Any]]] = {
    Kind.USUARIOS: (UserCreateSerializer, user_create),
    Kind.CENTROS: (CentroSerializer, centro_create),
    Kind.DOCTORES: (DoctorCreateSerializer, doctor_create),
    Kind.PACIENTES: (PacienteCreateSerializer, paciente_create),
    Kind.HORARIOS: (HorarioCsvSerializer, horario_create),
}


@dataclass
class FileSummary:
    file: str
    created: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def done(self) -> int:
        return self.created + self.skipped + self.failed


def load_folder(
    folder: Path, *, batch_size: int = 200, progress: Callable[[FileSummary], None] = lambda summary: None
) -> list[FileSummary]:
    """Load every file of the folder in dependency order; one transaction per batch of rows.

    A row that already exists (same username, same centro) is skipped; a bad row, or a file that
    cannot be read, is reported with its file and line and the others go on.
    """
    seen = SeenKeys()
    summaries = []
    for kind in LOAD_ORDER:
        summary = FileSummary(file=kind.filename)
        summaries.append(summary)
        try:
            # Read whole before loading: a file that turns out unreadable halfway loads nothing.
            rows = list(read_rows(folder / kind.filename, kind, seen))
        except CsvFileError as exc:
            summary.failures.append(f"{exc} (file not loaded)")
            continue
        for batch in _batches(rows, batch_size):
            with transaction.atomic():
                for row in batch:
                    _load_row(kind, row, summary)
            progress(summary)
    return summaries


def _load_row(kind: Kind, row: RowResult, summary: FileSummary) -> None:
    if not row.ok:
        summary.failures.append(f"{row.where()}: {row.error}")
        return
    serializer_class, create = LOADERS[kind]
    body = serializer_class(data={column: value for column, value in row.data.items() if value != ""})
    if not body.is_valid():
        summary.failures.append(f"{row.where()}: {_describe(body.errors)}")
        return
    try:
        with transaction.atomic():
            create(**body.validated_data)
    except AlreadyExists:
        summary.skipped += 1
    except DomainError as exc:  # e.g. a range that overlaps another of the doctor's
        summary.failures.append(f"{row.where()}: {exc.message}")
    else:
        summary.created += 1


def _describe(errors: dict) -> str:
    return "; ".join(f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in errors.items())


def _batches(rows: list[RowResult], size: int) -> Iterator[list[RowResult]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
