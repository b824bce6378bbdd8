"""Writes on user accounts. Each function is one transaction."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.models import User
from apps.common.exceptions import AlreadyExists, InvalidInput
from apps.common.roles import Rol


class UsernameTaken(AlreadyExists):
    message = _("That username is already taken.")
    code = "usuario_duplicado"
    field = "username"


def user_create(*, username: str, password: str, rol: Rol) -> User:
    # Checked first so that a duplicate costs no password hashing; the unique index still decides races.
    if User.objects.filter(username=User.normalize_username(username)).exists():
        raise UsernameTaken()
    user = User(username=username, rol=rol)
    user.set_password(password)
    try:
        # A savepoint, so that callers running inside a larger transaction can go on after a duplicate.
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError as exc:
        if User.objects.filter(username=User.normalize_username(username)).exists():
            raise UsernameTaken() from exc
        raise
    return user


@transaction.atomic
def account_ensure(*, username: str, password: str, rol: Rol) -> tuple[User, bool]:
    """Create a bootstrap account (the first admin, the service account), or restore an existing
    one to this role and password."""
    user = User.objects.select_for_update().filter(username=User.normalize_username(username)).first()
    created = user is None
    if created:
        user = User(username=username)
    user.rol = rol
    user.is_active = True
    user.set_password(password)
    user.save()
    return user, created


def refresh_token_revoke(*, refresh: str, user: User) -> None:
    """Blacklist a refresh token of this user, so that it can no longer be used."""
    try:
        token = RefreshToken(refresh)
    except TokenError as exc:
        raise InvalidInput(
            _("Token is invalid or expired."), field="refresh", code="token_not_valid"
        ) from exc
    if str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
        raise InvalidInput(_("This token belongs to another user."), field="refresh", code="token_not_yours")
    token.blacklist()
