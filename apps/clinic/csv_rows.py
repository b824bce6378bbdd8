"""The demo-data CSV files: their columns, and the reading and checking of each row.

Shared by the standalone client ``scripts/carga_inicial.py`` and the ``load_csv`` command, so it uses the
standard library only: the client imports it without Django.

The format: UTF-8 (a leading byte-order mark is accepted), comma-separated, the header on line 1, fields
quoted the ``csv`` module's way when they hold a comma, a quote or a line break. Columns may come in any
order and extra columns are ignored. Values are trimmed, except passwords, which are taken as written.
Lines reported are physical lines of the file, counting the header as line 1.

This checks the shape of the data (columns present, required values, known roles and states, weekdays and
times of a horario, a username, centro or horario range repeated within one load); the API and its
serializers remain the judges of everything else (password strength, phone format, lengths, overlaps).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from apps.clinic.data import hora_a_minutos
from apps.clinic.keys import centro_key


class Kind(StrEnum):
    USUARIOS = "usuarios"
    CENTROS = "centros"
    DOCTORES = "doctores"
    PACIENTES = "pacientes"
    HORARIOS = "horarios"

    @property
    def filename(self) -> str:
        return f"{self.value}.csv"


# Loaded in this order: the first admin of usuarios.csv is the account that loads everything else.
LOAD_ORDER: tuple[Kind, ...] = (Kind.USUARIOS, Kind.CENTROS, Kind.DOCTORES, Kind.PACIENTES, Kind.HORARIOS)

ROLES = ("admin", "secretaria")
ESTADOS = ("ACTIVO", "INACTIVO")
ESTADO_POR_DEFECTO = "ACTIVO"


@dataclass(frozen=True)
class FileSpec:
    columns: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    # Column -> allowed values; compared ignoring case and written in the listed spelling.
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


SPECS: dict[Kind, FileSpec] = {
    Kind.USUARIOS: FileSpec(columns=("username", "password", "rol"), choices={"rol": ROLES}),
    Kind.CENTROS: FileSpec(columns=("nombre", "direccion")),
    Kind.DOCTORES: FileSpec(columns=("nombre", "especialidad", "username", "password")),
    Kind.PACIENTES: FileSpec(
        columns=("nombre", "telefono", "estado", "username", "password"),
        optional=frozenset({"estado"}),
        choices={"estado": ESTADOS},
        defaults={"estado": ESTADO_POR_DEFECTO},
    ),
    # A doctor by its username, a centro by its name; weekdays 1 (lunes) to 7; times HH:MM (24:00 the end
    # of the day); the dates of validity optional (YYYY-MM-DD, both inclusive).
    Kind.HORARIOS: FileSpec(
        columns=(
            "doctor",
            "centro",
            "dia_semana",
            "hora_inicio",
            "hora_fin",
            "vigente_desde",
            "vigente_hasta",
        ),
        optional=frozenset({"vigente_desde", "vigente_hasta"}),
    ),
}

UNTRIMMED = frozenset({"password"})


class CsvFileError(Exception):
    """A file that cannot be read at all: missing, not UTF-8, or without the columns it needs."""

    def __init__(self, file: str, message: str):
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message


@dataclass(frozen=True)
class RowResult:
    """One data row: either ``data`` (the clean values, by column) or ``error`` (why it is unusable)."""

    file: str
    line: int
    data: dict[str, str] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def where(self) -> str:
        return f"{self.file}, line {self.line}"


@dataclass
class SeenKeys:
    """What a load has already seen, to catch a username or centro given twice.

    Share one instance across the files of a load: a username is unique across every kind of account.
    """

    usernames: dict[str, str] = field(default_factory=dict)
    centros: dict[str, str] = field(default_factory=dict)
    horarios: dict[tuple[str, ...], str] = field(default_factory=dict)


def read_rows(path: str | Path, kind: Kind | str, seen: SeenKeys | None = None) -> Iterator[RowResult]:
    """Read one CSV file of the given kind, yielding a RowResult per data row.

    Raises CsvFileError (on the first ``next``) when the file is missing, undecodable or lacks a column.
    Blank lines, and rows whose every field is blank, are skipped.
    """
    kind = Kind(kind)
    path = Path(path)
    spec = SPECS[kind]
    seen = seen if seen is not None else SeenKeys()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CsvFileError(path.name, f"cannot be opened ({exc.strerror or exc})") from exc
    with handle:
        # Strict: an unclosed quote is an error, not a field that swallows the rest of the file.
        reader = csv.reader(handle, strict=True)
        try:
            yield from _rows(reader, path.name, spec, seen)
        except UnicodeDecodeError as exc:
            raise CsvFileError(path.name, "is not UTF-8 text") from exc
        except csv.Error as exc:
            raise CsvFileError(path.name, f"is not valid CSV at line {reader.line_num} ({exc})") from exc


def _rows(reader, file: str, spec: FileSpec, seen: SeenKeys) -> Iterator[RowResult]:
    header = next(reader, None)
    if header is None:
        raise CsvFileError(file, "is empty; line 1 must be the header: " + ",".join(spec.columns))
    names = [name.strip().lower() for name in header]
    missing = [column for column in spec.columns if column not in names and column not in spec.optional]
    if missing:
        raise CsvFileError(file, "line 1 lacks the column(s) " + ", ".join(missing))
    position = {name: index for index, name in reversed(list(enumerate(names)))}

    last_line = reader.line_num
    for fields in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(value.strip() for value in fields):
            continue
        yield _check(file, line, fields, len(names), position, spec, seen)


def _check(
    file: str,
    line: int,
    fields: list[str],
    width: int,
    position: dict[str, int],
    spec: FileSpec,
    seen: SeenKeys,
) -> RowResult:
    def error(message: str) -> RowResult:
        return RowResult(file=file, line=line, error=message)

    if len(fields) > width:
        return error(f"has {len(fields)} fields but the header names {width}")
    data: dict[str, str] = {}
    for column in spec.columns:
        index = position.get(column)
        raw = fields[index] if index is not None and index < len(fields) else ""
        value = raw if column in UNTRIMMED else raw.strip()
        if not value.strip():
            if column not in spec.optional:
                return error(f"{column} is empty")
            value = spec.defaults.get(column, "")
        allowed = spec.choices.get(column)
        if allowed:
            spelled = {choice.casefold(): choice for choice in allowed}.get(value.casefold())
            if spelled is None:
                # The value is not repeated: in a misaligned row it may be a password.
                return error(f"{column} must be one of {', '.join(allowed)}")
            value = spelled
        data[column] = value
    wrong = _check_horario(data) if "dia_semana" in data else None
    if wrong:
        return error(wrong)
    duplicate = _claim(data, f"{file} line {line}", seen)
    if duplicate:
        return error(duplicate)
    return RowResult(file=file, line=line, data=data)


def _check_horario(data: dict[str, str]) -> str | None:
    if data["dia_semana"] not in {str(day) for day in range(1, 8)}:
        return "dia_semana must be a weekday from 1 (lunes) to 7 (domingo)"
    try:
        inicio, fin = hora_a_minutos(data["hora_inicio"]), hora_a_minutos(data["hora_fin"])
    except ValueError:
        return "hora_inicio and hora_fin must be times as HH:MM, from 00:00 to 24:00"
    if inicio >= fin:
        return "hora_fin must come after hora_inicio"
    try:
        desde, hasta = (
            date.fromisoformat(data[c]) if data[c] else None for c in ("vigente_desde", "vigente_hasta")
        )
    except ValueError:
        return "vigente_desde and vigente_hasta must be dates as YYYY-MM-DD"
    if desde and hasta and desde > hasta:
        return "vigente_hasta must not come before vigente_desde"
    return None


def username_key(username: str) -> str:
    """A username as the user model stores it (NFKC, lower case): spellings of one account match."""
    return unicodedata.normalize("NFKC", username).strip().lower()


def _claim(data: dict[str, str], where: str, seen: SeenKeys) -> str | None:
    """Record the row's unique key; a message when an earlier row of the load already has it."""
    if "username" in data:
        username = data["username"]
        registry, key, label = seen.usernames, username_key(username), f"username {username!r}"
    elif "dia_semana" in data:
        key = (username_key(data["doctor"]), data["dia_semana"], data["hora_inicio"], data["vigente_desde"])
        registry, label = seen.horarios, "this range of the doctor"
    else:
        registry, key, label = seen.centros, centro_key(data["nombre"], data["direccion"]), "this centro"
    if key in registry:
        return f"{label} is already used on {registry[key]}"
    registry[key] = where
    return None
