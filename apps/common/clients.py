from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The caller's address, read from X-Forwarded-For as far back as NUM_PROXIES says."""
    return BaseThrottle().get_ident(request)
