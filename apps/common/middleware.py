from django.urls import is_valid_path


class OptionalTrailingSlashMiddleware:
    """Serve a path with or without its trailing slash, without redirecting.

    A redirect would turn a client's POST into a GET; instead, when the path as sent does not
    resolve but its twin does, the request is routed to the twin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        urlconf = getattr(request, "urlconf", None)
        if path != "/" and not is_valid_path(path, urlconf):
            twin = path[:-1] if path.endswith("/") else path + "/"
            if is_valid_path(twin, urlconf):
                request.path_info = twin
        return self.get_response(request)
