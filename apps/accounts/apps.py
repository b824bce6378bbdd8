from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from apps.accounts import login_guard, signals  # noqa: F401 (counts failed logins; revokes)
