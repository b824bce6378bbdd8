"""When a doctor can be booked at a centro.

One function, ``AgendaDoctor.rechazo``, decides whether a cita may start at an instant: the free slots
offered are the steps of each horario range that it accepts, and a booking or change is refused with the
error it names. The two can never disagree.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from apps.appointments.gateway import Bloqueo, CentroRef, Tramo
from apps.common.exceptions import Conflict, DomainError, InvalidInput
from apps.common.localtime import local_date, wall_time


class FechaPasada(InvalidInput):
    code, field = "fecha_pasada", "fecha"
    message = _("The date must be in the future.")


class FueraDeHorario(InvalidInput):
    code, field = "fuera_de_horario", "fecha"
    message = _("The doctor does not work at that centro at that time.")


class AntelacionInsuficiente(InvalidInput):
    code, field = "antelacion_insuficiente", "fecha"
    message = _("That is too soon: the centro takes citas only with more notice.")


class FueraDeHorizonte(InvalidInput):
    code, field = "fuera_de_horizonte", "fecha"
    message = _("That is too far ahead: the centro does not take citas that far yet.")


class DobleReserva(Conflict):
    code = "doble_reserva"
    message = _("The doctor already has a cita at that time.")


class Intervalos:
    """A union of half-open intervals ``[inicio, fin)``, asked whether it meets another in O(log n)."""

    def __init__(self, intervalos: Iterable[tuple[datetime, datetime]]):
        merged: list[list[datetime]] = []
        for inicio, fin in sorted(intervalos):
            if merged and inicio <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], fin)
            else:
                merged.append([inicio, fin])
        self._inicios = [inicio for inicio, _fin in merged]
        self._fines = [fin for _inicio, fin in merged]

    def solapa(self, inicio: datetime, fin: datetime) -> bool:
        # The last interval that starts before ``fin`` is the only one that can reach past ``inicio``.
        anterior = bisect_left(self._inicios, fin) - 1
        return anterior >= 0 and self._fines[anterior] > inicio


@dataclass(frozen=True)
class Rango:
    """One horario range on one local day, as instants."""

    inicio: datetime
    fin: datetime


class AgendaDoctor:
    """A doctor's agenda at one centro: its horario there, the ausencias of the doctor and of the centro,
    its active citas, and the centro's booking settings as of ``ahora``.

    ``horarios`` None means that gestion publishes no horarios (a version older than the agenda): then
    the horario rule is not applied, and no free slot is offered either.
    """

    def __init__(
        self,
        *,
        centro: CentroRef,
        horarios: Sequence[Tramo] | None,
        ausencias: Iterable[Bloqueo],
        ocupadas: Iterable[tuple[datetime, datetime]],
        ahora: datetime,
    ):
        self.centro = centro
        self.con_horario = horarios is not None
        self._tramos: dict[int, list[Tramo]] = defaultdict(list)
        for tramo in horarios or ():
            self._tramos[tramo.dia_semana].append(tramo)
        self._ausencias = Intervalos((bloqueo.inicio, bloqueo.fin) for bloqueo in ausencias)
        self._ocupadas = Intervalos(ocupadas)
        self._rangos: dict[date, list[Rango]] = {}
        self._ahora = ahora
        self._primer_inicio = ahora + timedelta(minutes=centro.antelacion_minima_minutos)
        self._ultimo_inicio = ahora + timedelta(days=centro.horizonte_dias)

    def rangos(self, dia: date) -> list[Rango]:
        """The horario ranges of a local day, in order."""
        if dia not in self._rangos:
            self._rangos[dia] = sorted(
                (
                    Rango(wall_time(dia, tramo.hora_inicio), wall_time(dia, tramo.hora_fin))
                    for tramo in self._tramos.get(dia.isoweekday(), ())
                    if tramo.vigente(dia)
                ),
                key=lambda rango: rango.inicio,
            )
        return self._rangos[dia]

    def rechazo(self, inicio: datetime, duracion_minutos: int) -> type[DomainError] | None:
        """Why a cita of this length may not start at ``inicio`` (the rules in the order their answers
        are given), or None when it may."""
        fin = inicio + timedelta(minutes=duracion_minutos)
        if inicio <= self._ahora:
            return FechaPasada
        if self.con_horario and not any(
            rango.inicio <= inicio and fin <= rango.fin for rango in self.rangos(local_date(inicio))
        ):
            return FueraDeHorario
        if self._ausencias.solapa(inicio, fin):
            return FueraDeHorario
        if inicio < self._primer_inicio:
            return AntelacionInsuficiente
        if inicio > self._ultimo_inicio:
            return FueraDeHorizonte
        if self._ocupadas.solapa(inicio, fin):
            return DobleReserva
        return None

    def huecos(self, desde: date, hasta: date, duracion_minutos: int) -> list[datetime]:
        """The free slots of the local days ``desde`` to ``hasta`` (inclusive): the starts that step by the
        centro's interval from the start of each range, that ``rechazo`` accepts."""
        paso = timedelta(minutes=self.centro.intervalo_minutos)
        duracion = timedelta(minutes=duracion_minutos)
        libres = []
        dia = desde
        while dia <= hasta:
            for rango in self.rangos(dia):
                inicio = rango.inicio
                while inicio + duracion <= rango.fin:
                    if self.rechazo(inicio, duracion_minutos) is None:
                        libres.append(inicio)
                    inicio += paso
            dia += timedelta(days=1)
        return libres
