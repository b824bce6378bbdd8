from apps.accounts.management.commands._bootstrap import EnsureAccountCommand
from apps.common.roles import Rol


class Command(EnsureAccountCommand):
    help = (
        "Create or update the read-only account citas uses to query gestion, from "
        "SERVICE_ACCOUNT_USERNAME and SERVICE_ACCOUNT_PASSWORD."
    )
    rol = Rol.SERVICIO
    username_setting = "SERVICE_ACCOUNT_USERNAME"
    password_setting = "SERVICE_ACCOUNT_PASSWORD"  # noqa: S105 (the name of a setting)
