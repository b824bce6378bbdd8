import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The sweep beats every minute: two missed beats and a bit mean the worker is stuck or gone.
PLAZO_SEGUNDOS = 150


class Command(BaseCommand):
    help = "Exit 0 when this host's notification worker has beaten lately (its container's healthcheck)."

    def handle(self, *args, **options):
        latido = Path(settings.NOTIFICACIONES_LATIDO)
        try:
            edad = time.time() - latido.stat().st_mtime
        except FileNotFoundError as exc:
            raise CommandError(f"no heartbeat at {latido}: the worker has not started") from exc
        if edad > PLAZO_SEGUNDOS:
            raise CommandError(f"the worker's last heartbeat is {edad:.0f} s old")
        self.stdout.write(f"worker alive, last heartbeat {edad:.0f} s ago")
