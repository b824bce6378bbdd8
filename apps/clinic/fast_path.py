"""``GET /interno/referencias`` without the framework: citas asks it on every booking.

A well-formed call (a token that the view's authentication accepts and its permissions allow, the documented
parameters, JSON wanted) is answered here, before the rest of the middleware and DRF, with what
``views_interno.ReferenciasView`` uses: its authentication and permission classes, its query serializer, its
selector and DRF's JSON renderer. Anything else (a host not in ALLOWED_HOSTS, no or a bad token, another
role, a wrong parameter, the browsable API, a database that fails) goes on to that view, which answers it,
errors included, as documented.
"""

from types import SimpleNamespace

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.renderers import JSONRenderer

from apps.clinic.selectors import referencias_cita
from apps.clinic.serializers import ReferenciasQuerySerializer
from apps.clinic.views_interno import ReferenciasView

JSON_ACCEPTED = frozenset({"", "*/*", "application/json"})
# One instance validates every call: validation reads its fields and writes nothing on it, and building a
# serializer per call cost more than validating.
QUERY = ReferenciasQuerySerializer()
PARAMETERS = frozenset(QUERY.fields)


def _caller(request):
    """Who calls, as the view's authentication classes find it; None when none does or one refuses."""
    for authentication in ReferenciasView.authentication_classes:
        try:
            found = authentication().authenticate(request)
        except AuthenticationFailed:
            return None
        if found is not None:
            return found[0]
    return None


def _caller_may_read(request) -> bool:
    caller = _caller(request)
    asked = SimpleNamespace(user=caller)  # what a role permission reads of DRF's request
    return caller is not None and all(
        permission().has_permission(asked, None) for permission in ReferenciasView.permission_classes
    )


class ReferenciasFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        path = reverse("interno-referencias")
        self.paths = frozenset({path, path + "/"})  # with or without the optional trailing slash

    def __call__(self, request):
        if request.method != "GET" or request.path_info not in self.paths:
            return self.get_response(request)
        try:
            answer = _answer(request)
        except DatabaseError:
            # The read went without a health check; the view's first query has one: a connection that died
            # meanwhile is replaced, and a database that is down gets the view's 503.
            connection.health_check_done = False
            answer = None
        return answer if answer is not None else self.get_response(request)


def _host_allowed(request) -> bool:
    """ALLOWED_HOSTS, which CommonMiddleware (after this one) checks for every other request."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _answer(request) -> HttpResponse | None:
    """The answer to a well-formed call; None leaves the call to the view."""
    if (
        not _host_allowed(request)
        or request.headers.get("Accept", "") not in JSON_ACCEPTED
        or not request.GET.keys() <= PARAMETERS  # e.g. DRF's ?format=
        or not _caller_may_read(request)
    ):
        return None
    try:
        asked = QUERY.run_validation(request.GET)
    except ValidationError:
        return None
    # The read is the call's only statement: Django's health check of a reused connection would be a second
    # round trip to the database on every booking. A connection that died fails the read instead.
    connection.health_check_done = True
    body = JSONRenderer().render(referencias_cita(**asked).to_json())
    response = HttpResponse(body, content_type="application/json")
    response["Content-Length"] = len(body)  # else gunicorn would chunk it
    return response
