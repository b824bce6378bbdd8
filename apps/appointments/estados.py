"""What can become of a cita, as data: each action's target state, the states it leaves, and when it may
happen. Who may ask for each is the role table's (``apps.common.roles.PERMISOS``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.appointments.models import Cita, EstadoCita
from apps.common.localtime import local_date

E = EstadoCita
MARGEN_NO_ASISTIO = timedelta(minutes=15)


@dataclass(frozen=True)
class Transicion:
    destino: EstadoCita
    desde: frozenset[EstadoCita]
    cuando: Callable[[Cita, datetime], bool]
    cuando_texto: str


TRANSICIONES: dict[str, Transicion] = {
    "confirmar": Transicion(
        E.CONFIRMADA, frozenset({E.PROGRAMADA}), lambda cita, ahora: ahora < cita.fecha, "before fecha"
    ),
    "llegada": Transicion(
        E.EN_SALA,
        frozenset({E.PROGRAMADA, E.CONFIRMADA}),
        lambda cita, ahora: local_date(ahora) == local_date(cita.fecha),
        "on the cita's local day",
    ),
    "completar": Transicion(E.COMPLETADA, frozenset({E.EN_SALA}), lambda cita, ahora: True, "any time"),
    "no-asistio": Transicion(
        E.NO_ASISTIO,
        frozenset({E.PROGRAMADA, E.CONFIRMADA}),
        lambda cita, ahora: ahora > cita.fecha + MARGEN_NO_ASISTIO,
        "from fecha + 15 minutes on",
    ),
}


def describe(accion: str) -> str:
    transicion = TRANSICIONES[accion]
    desde = ", ".join(sorted(transicion.desde))
    return f"From {desde} to {transicion.destino}, {transicion.cuando_texto}."
