"""The worker's tasks (huey): run with ``manage.py run_huey`` under citas' settings."""

from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from apps.appointments.gateway import gestion
from apps.notifications import services


def latido() -> None:
    """The worker is alive: ``manage.py worker_health`` reads this file's age."""
    Path(settings.NOTIFICACIONES_LATIDO).touch()


on_startup()(latido)


@db_task()
def enviar(id_notificacion: int) -> None:
    services.notificacion_send(id_notificacion=id_notificacion, gestion=gestion())


@db_periodic_task(crontab(minute="*"))
def barrer() -> None:
    services.notificaciones_sweep()
    latido()
