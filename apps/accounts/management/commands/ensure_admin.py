from apps.accounts.management.commands._bootstrap import EnsureAccountCommand
from apps.common.roles import Rol


class Command(EnsureAccountCommand):
    help = "Create or update the first admin from ODONTOCARE_ADMIN_USERNAME and ODONTOCARE_ADMIN_PASSWORD."
    rol = Rol.ADMIN
    username_setting = "ODONTOCARE_ADMIN_USERNAME"
    password_setting = "ODONTOCARE_ADMIN_PASSWORD"  # noqa: S105 (the name of a setting)
