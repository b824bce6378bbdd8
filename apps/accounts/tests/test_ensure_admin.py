import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_creates_the_first_admin_then_updates_it_idempotently(settings):
    settings.ODONTOCARE_ADMIN_USERNAME = "jefa"
    settings.ODONTOCARE_ADMIN_PASSWORD = "primera-clave-123"
    call_command("ensure_admin")
    settings.ODONTOCARE_ADMIN_PASSWORD = "segunda-clave-456"
    call_command("ensure_admin")
    admin = User.objects.get()
    assert (admin.username, admin.rol, admin.is_staff) == ("jefa", "admin", True)
    assert admin.check_password("segunda-clave-456")


def test_restores_a_demoted_admin(settings):
    User.objects.create_user("jefa", "x", rol="secretaria", is_active=False)
    settings.ODONTOCARE_ADMIN_USERNAME = "jefa"
    settings.ODONTOCARE_ADMIN_PASSWORD = "primera-clave-123"
    call_command("ensure_admin")
    admin = User.objects.get()
    assert admin.rol == "admin" and admin.is_active


def test_refuses_to_run_without_a_password(settings):
    settings.ODONTOCARE_ADMIN_PASSWORD = None
    with pytest.raises(CommandError):
        call_command("ensure_admin")
    assert not User.objects.exists()
