"""Writes on user accounts. Each function is one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.models import Revocacion, User
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


class PasswordIncorrecta(InvalidInput):
    code, field = "password_incorrecta", "actual"
    message = _("The current password is not right.")


def tokens_revoke(*, id_user: int) -> None:
    """Every token the user holds now, refused from now on: its refresh tokens here at once, its access
    tokens on both deployables (citas learns of it from ``/interno/revocaciones`` within seconds)."""
    Revocacion.objects.update_or_create(id_user=id_user, defaults={"desde": timezone.now()})
    for token in OutstandingToken.objects.filter(user_id=id_user).exclude(blacklistedtoken__isnull=False):
        BlacklistedToken.objects.get_or_create(token=token)


@transaction.atomic
def user_activo_set(*, user: User, is_active: bool) -> User:
    """Deactivate (or reactivate) an account; a deactivated one logs in no more and refreshes nothing."""
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if not is_active:
        tokens_revoke(id_user=user.pk)
    return user


@transaction.atomic
def user_password_change(*, user: User, actual: str, nueva: str) -> None:
    if not user.check_password(actual):
        raise PasswordIncorrecta()
    user.set_password(nueva)
    user.save(update_fields=["password"])
    tokens_revoke(id_user=user.pk)  # every session signs in again


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
    tokens_revoke(id_user=user.pk)  # its access tokens too: logging out ends the sessions
