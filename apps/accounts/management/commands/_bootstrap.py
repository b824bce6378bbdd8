from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import account_ensure
from apps.common.roles import Rol


class EnsureAccountCommand(BaseCommand):
    """Create or update one bootstrap account from settings; safe to run on every start."""

    rol: Rol
    username_setting: str
    password_setting: str

    def handle(self, *args, **options):
        username = getattr(settings, self.username_setting)
        password = getattr(settings, self.password_setting)
        if not username or not password:
            raise CommandError(f"Set {self.username_setting} and {self.password_setting}.")
        if settings.PRODUCTION:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(f"{self.password_setting} is too weak: " + " ".join(exc.messages)) from exc
        user, created = account_ensure(username=username, password=password, rol=self.rol)
        self.stdout.write(f"{'Created' if created else 'Updated'} {self.rol} account {user.username!r}.")
