"""One policy for failed logins, on every way in (the API's login, gestion's staff site, and citas' staff
site, which asks gestion): counted per (address, username) and per address across usernames, so that neither
guessing one account's password nor trying one password on many accounts goes on for long.

The counts live in the default cache, shared by every worker and process (the database cache, or Redis with
``CACHE_URL``). While a count is at its limit every attempt from there is refused, the right password
included, until its window ends.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from apps.accounts.models import User
from apps.common.clients import client_address


def _keys(address: str, username: str) -> list[tuple[str, int]]:
    account = User.normalize_username(username or "")
    pair = hashlib.sha256(f"{address}|{account}".encode()).hexdigest()
    alone = hashlib.sha256(address.encode()).hexdigest()
    return [
        (f"login-fallos:par:{pair}", settings.LOGIN_FALLOS_POR_USUARIO),
        (f"login-fallos:dir:{alone}", settings.LOGIN_FALLOS_POR_DIRECCION),
    ]


def seconds_locked(address: str, username: str) -> int | None:
    """How long this address may not try this username (or any), or None when it may."""
    now = time.time()
    waits = []
    for key, limit in _keys(address, username):
        if (cache.get(key) or 0) >= limit:
            waits.append(max(1, int((cache.get(f"{key}:hasta") or now + 1) - now)))
    return max(waits) if waits else None


def record_failure(address: str, username: str) -> None:
    window = settings.LOGIN_VENTANA_SEGUNDOS
    for key, _limit in _keys(address, username):
        cache.add(f"{key}:hasta", time.time() + window, window)
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, window)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    # authenticate() says so for the API's login and the staff site's form alike. Without a request (a
    # check on someone else's behalf) the caller counts it with the address it knows.
    if request is not None:
        record_failure(client_address(request), credentials.get("username", ""))
