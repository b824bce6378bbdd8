"""What crosses between gestion and citas, defined once.

gestion builds its internal answers from these dataclasses (``to_json``); citas' gateway, its in-memory fake
and the tests' stand-in for gestion read them (``from_json``). The standard library only: citas may import
this module, and nothing else of ``apps.clinic``.

The reader is tolerant, so that a rolling deploy in either order keeps booking working: unknown keys are
ignored (a newer gestion may send more) and a missing field takes its default (an older gestion may send
less). Fields without a default are the ones no gestion has ever left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar, Self, get_args, get_type_hints

MINUTOS_DIA = 24 * 60


def hora_a_minutos(texto: str) -> int:
    """``"HH:MM"`` (``"24:00"`` is the end of the day) as minutes since midnight."""
    if not isinstance(texto, str) or len(texto) != 5 or texto[2] != ":":
        raise ValueError(f"not an HH:MM time: {texto!r}")
    horas, minutos = texto[:2], texto[3:]
    if not (horas.isascii() and horas.isdigit() and minutos.isascii() and minutos.isdigit()):
        raise ValueError(f"not an HH:MM time: {texto!r}")
    total = int(horas) * 60 + int(minutos)
    if int(minutos) > 59 or total > MINUTOS_DIA:
        raise ValueError(f"not a time of the day: {texto!r}")
    return total


def minutos_a_hora(minutos: int) -> str:
    return f"{minutos // 60:02d}:{minutos % 60:02d}"


@dataclass(frozen=True)
class Codec:
    """How one field is written in JSON, read back, and described in OpenAPI."""

    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]
    schema: Callable[[], dict[str, Any]]


def _optional(codec: Codec) -> Codec:
    return Codec(
        dump=lambda value: None if value is None else codec.dump(value),
        load=lambda value: None if value is None else codec.load(value),
        schema=lambda: {**codec.schema(), "nullable": True},
    )


HORA = Codec(
    dump=minutos_a_hora,
    load=hora_a_minutos,
    schema=lambda: {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:30"},
)
FECHA = _optional(
    Codec(dump=date.isoformat, load=date.fromisoformat, schema=lambda: {"type": "string", "format": "date"})
)
INSTANTE = Codec(
    dump=datetime.isoformat,
    load=datetime.fromisoformat,
    schema=lambda: {"type": "string", "format": "date-time"},
)


def _one(cls: type[Datos]) -> Codec:
    return _optional(Codec(dump=lambda value: value.to_json(), load=cls.from_json, schema=cls.json_schema))


def _many(cls: type[Datos]) -> Codec:
    return Codec(
        dump=lambda values: [value.to_json() for value in values],
        load=lambda items: tuple(cls.from_json(item) for item in items),
        schema=lambda: {"type": "array", "items": cls.json_schema()},
    )


_PLAIN_SCHEMAS = {int: {"type": "integer"}, str: {"type": "string"}, bool: {"type": "boolean"}}


def _plain_schema(hint: Any) -> dict[str, Any]:
    """The schema of an ``int``, ``str`` or ``bool`` field, or of one of them ``| None``."""
    options = [option for option in get_args(hint) if option is not type(None)] or [hint]
    schema = dict(_PLAIN_SCHEMAS[options[0]])
    return {**schema, "nullable": True} if len(options) < len(get_args(hint)) else schema


def _field(codec: Codec, **options: Any) -> Any:
    return field(metadata={"codec": codec}, **options)


class Datos:
    """A dataclass that crosses the boundary as a JSON object."""

    __dataclass_fields__: ClassVar[dict]

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise TypeError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
        values = {}
        for spec in fields(cls):
            if spec.name in data:
                codec = spec.metadata.get("codec")
                values[spec.name] = codec.load(data[spec.name]) if codec else data[spec.name]
            elif spec.default is MISSING and spec.default_factory is MISSING:
                raise KeyError(f"{cls.__name__}: {spec.name} is missing")
        return cls(**values)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The OpenAPI schema of the JSON object that ``to_json`` writes (every field always present)."""
        hints = get_type_hints(cls)
        properties = {}
        for spec in fields(cls):
            codec = spec.metadata.get("codec")
            properties[spec.name] = codec.schema() if codec else _plain_schema(hints[spec.name])
        return {"type": "object", "properties": properties, "required": list(properties)}

    def to_json(self) -> dict[str, Any]:
        data = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            codec = spec.metadata.get("codec")
            data[spec.name] = codec.dump(value) if codec else value
        return data


@dataclass(frozen=True)
class DoctorRef(Datos):
    id_doctor: int
    nombre: str
    especialidad: str = ""
    activo: bool = True


@dataclass(frozen=True)
class CentroRef(Datos):
    """A centro and its booking settings (the defaults are the contract's, for a gestion that sends none)."""

    id_centro: int
    nombre: str
    antelacion_minima_minutos: int = 0
    horizonte_dias: int = 365
    intervalo_minutos: int = 15
    activo: bool = True


@dataclass(frozen=True)
class PacienteRef(Datos):
    id_paciente: int
    nombre: str
    estado: str
    documento: str | None = None
    email: str = ""  # where citas sends the patient's messages; "" when it has none

    @property
    def activo(self) -> bool:
        return self.estado == "ACTIVO"


@dataclass(frozen=True)
class UsuarioRef(Datos):
    """Who a username and password belong to, as gestion's login says."""

    id_user: int
    username: str
    rol: str


@dataclass(frozen=True)
class RevocacionRef(Datos):
    """Every token of ``id_user`` issued before ``desde`` is refused."""

    id_user: int
    desde: datetime = _field(INSTANTE)


@dataclass(frozen=True)
class Revocaciones(Datos):
    """The revocations recorded from an instant on, as of ``hasta``."""

    hasta: datetime = _field(INSTANTE)
    revocaciones: tuple[RevocacionRef, ...] = _field(_many(RevocacionRef), default=())


@dataclass(frozen=True)
class Tramo(Datos):
    """One weekly range of a doctor's horario at a centro, in local wall time: minutes since midnight,
    half-open, ``dia_semana`` 1 (lunes) to 7; in force from ``vigente_desde`` to ``vigente_hasta``, both
    inclusive, either open when None."""

    id_doctor: int
    id_centro: int
    dia_semana: int
    hora_inicio: int = _field(HORA)
    hora_fin: int = _field(HORA)
    vigente_desde: date | None = _field(FECHA, default=None)
    vigente_hasta: date | None = _field(FECHA, default=None)

    def vigente(self, dia: date) -> bool:
        return (self.vigente_desde is None or self.vigente_desde <= dia) and (
            self.vigente_hasta is None or dia <= self.vigente_hasta
        )


@dataclass(frozen=True)
class Bloqueo(Datos):
    """An ausencia: ``[inicio, fin)`` blocked for one doctor or for a whole centro."""

    inicio: datetime = _field(INSTANTE)
    fin: datetime = _field(INSTANTE)
    id_doctor: int | None = None
    id_centro: int | None = None


@dataclass(frozen=True)
class Referencias(Datos):
    """What booking a cita needs, in one answer: the doctor, centro and patient (None where gestion has no
    such record), the doctor's horario at the centro on the asked days and the ausencias of either around the
    asked time.

    ``horarios`` is None only from a gestion that predates the agenda: then no horario rule can be applied.
    """

    doctor: DoctorRef | None = _field(_one(DoctorRef))
    centro: CentroRef | None = _field(_one(CentroRef))
    paciente: PacienteRef | None = _field(_one(PacienteRef))
    horarios: tuple[Tramo, ...] | None = _field(_optional(_many(Tramo)), default=None)
    ausencias: tuple[Bloqueo, ...] = _field(_many(Bloqueo), default=())


@dataclass(frozen=True)
class Agenda(Datos):
    """What the free slots of a centro need, in one answer: the centro (None when it does not exist), the
    doctors with a horario there, their horarios there, and the ausencias of the doctors and the centro."""

    centro: CentroRef | None = _field(_one(CentroRef))
    doctores: tuple[DoctorRef, ...] = _field(_many(DoctorRef), default=())
    horarios: tuple[Tramo, ...] = _field(_many(Tramo), default=())
    ausencias: tuple[Bloqueo, ...] = _field(_many(Bloqueo), default=())
