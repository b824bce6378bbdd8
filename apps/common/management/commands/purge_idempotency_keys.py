from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.common.models import ClaveIdempotencia


class Command(BaseCommand):
    help = "Remove the Idempotency-Keys older than IDEMPOTENCY_KEY_HORAS (24 by default)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HORAS)
        removed, _ = ClaveIdempotencia.objects.filter(creada__lt=cutoff).delete()
        self.stdout.write(
            f"{removed} Idempotency-Key(s) older than {settings.IDEMPOTENCY_KEY_HORAS} h removed."
        )
