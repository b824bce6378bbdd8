"""The worker's tasks (huey): run with ``manage.py run_huey`` under citas' settings."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.appointments.gateway import gestion
from apps.notifications import services


@db_task()
def enviar(id_notificacion: int) -> None:
    services.notificacion_send(id_notificacion=id_notificacion, gestion=gestion())


@db_periodic_task(crontab(minute="*"))
def barrer() -> None:
    services.notificaciones_sweep()
