"""The token revocations gestion records (logout, deactivation, password change, deletion), known here
within seconds while token checks stay local: each process keeps them in memory and asks gestion for the
new ones at most every ``REVOCACIONES_REFRESCO_SEGUNDOS``, from the request that finds them due.

While gestion cannot be asked, the revocations already known keep applying and the others wait for the
next successful question; an access token lives ``JWT_ACCESS_MINUTES`` at most anyway.
"""

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from apps.appointments.gateway import GestionNoDisponible, gestion

logger = logging.getLogger(__name__)
# Asked again with this much overlap: a revocation recorded while the last answer was made still shows.
SOLAPE = timedelta(seconds=10)


class Revocados:
    def __init__(self):
        self._desde_por_usuario: dict[int, datetime] = {}
        # What a token still alive may have been issued before: revocations older than that do not matter.
        self._hasta = timezone.now() - settings.JWT_ACCESS_LIFETIME
        self._siguiente = 0.0
        self._lock = threading.Lock()

    def refresh_if_due(self) -> None:
        if time.monotonic() < self._siguiente or not self._lock.acquire(blocking=False):
            return  # fresh enough, or another thread is asking right now
        try:
            self._siguiente = time.monotonic() + settings.REVOCACIONES_REFRESCO_SEGUNDOS
            respuesta = gestion().revocaciones(desde=self._hasta - SOLAPE)
        except GestionNoDisponible as exc:
            logger.warning("Revocations not refreshed, gestion is unavailable: %s", exc)
        else:
            for revocacion in respuesta.revocaciones:
                anterior = self._desde_por_usuario.get(revocacion.id_user)
                if anterior is None or revocacion.desde > anterior:
                    self._desde_por_usuario[revocacion.id_user] = revocacion.desde
            self._hasta = respuesta.hasta
        finally:
            self._lock.release()

    def revocado(self, claims: dict) -> bool:
        self.refresh_if_due()
        desde = self._desde_por_usuario.get(int(claims["user_id"]))
        return desde is not None and int(claims["iat"]) < int(desde.timestamp())


_revocados = Revocados()


def revocado(claims: dict) -> bool:
    """Whether gestion has revoked this token (as far as this process knows, within a few seconds)."""
    return _revocados.revocado(claims)


def reset() -> None:
    """Forget what is known (tests)."""
    global _revocados
    _revocados = Revocados()
