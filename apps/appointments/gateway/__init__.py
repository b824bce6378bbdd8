"""The way to gestion. Code asks ``gestion()`` for the port; tests put a fake in with ``use_gestion``."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from apps.appointments.gateway.port import (
    AccesoBloqueado,
    Agenda,
    Bloqueo,
    CentroRef,
    DoctorRef,
    GestionNoDisponible,
    GestionPort,
    PacienteRef,
    Referencias,
    Revocaciones,
    RevocacionRef,
    Tramo,
    UsuarioRef,
)

__all__ = [
    "AccesoBloqueado",
    "Agenda",
    "Bloqueo",
    "CentroRef",
    "DoctorRef",
    "GestionNoDisponible",
    "GestionPort",
    "PacienteRef",
    "Referencias",
    "RevocacionRef",
    "Revocaciones",
    "Tramo",
    "UsuarioRef",
    "gestion",
    "use_gestion",
]

_instance: GestionPort | None = None
_lock = threading.Lock()


def gestion() -> GestionPort:
    global _instance
    with _lock:
        if _instance is None:
            from apps.appointments.gateway.rest import RestGestion

            _instance = RestGestion(
                base_url=settings.GESTION_URL,
                username=settings.SERVICE_ACCOUNT_USERNAME,
                password=settings.SERVICE_ACCOUNT_PASSWORD,
                connect_timeout=settings.GESTION_CONNECT_TIMEOUT,
                read_timeout=settings.GESTION_READ_TIMEOUT,
            )
        return _instance


@contextmanager
def use_gestion(port: GestionPort) -> Iterator[GestionPort]:
    """Make ``gestion()`` answer with this port for the duration of the block."""
    global _instance
    with _lock:
        previous, _instance = _instance, port
    try:
        yield port
    finally:
        with _lock:
            _instance = previous
