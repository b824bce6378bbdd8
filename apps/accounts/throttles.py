import hashlib

from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.models import User


class FailedLoginThrottle(SimpleRateThrottle):
    """Counts failed logins per client address and username; successful logins are free.

    The history lives in the default cache, which is shared by every worker and process.
    """

    scope = "login"

    def get_cache_key(self, request, view):
        data = request.data if isinstance(request.data, dict) else {}
        # Normalized as authentication does it (NFKC, lower case), so that every spelling that logs
        # into one account shares its count.
        username = User.normalize_username(str(data.get("username", "")))
        ident = hashlib.sha256(f"{self.get_ident(request)}|{username}".encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def throttle_success(self):
        # Letting a request through does not count it: only record_failure does.
        return True

    def record_failure(self, request, view) -> None:
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
