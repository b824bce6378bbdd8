import functools

from django.conf import settings
from django.urls import is_valid_path


@functools.lru_cache(maxsize=4096)
def _routed(path: str, urlconf) -> bool:
    """Whether a path resolves in a URLconf: worked out once per path, not at every request."""
    return is_valid_path(path, urlconf)


class OptionalTrailingSlashMiddleware:
    """Serve a path with or without its trailing slash, without redirecting.

    A redirect would turn a client's POST into a GET; instead, when the path as sent does not
    resolve but its twin does, the request is routed to the twin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        if path != "/" and not _routed(path, urlconf):
            twin = path[:-1] if path.endswith("/") else path + "/"
            if _routed(twin, urlconf):
                request.path_info = twin
        return self.get_response(request)
