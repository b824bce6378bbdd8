"""``GET /interno/referencias`` without the framework: citas asks it on every booking.

A well-formed call (a service token that passes, the documented parameters, JSON wanted) is answered here,
before the rest of the middleware and DRF, by the same selector and serializer of the query as
``views_interno.ReferenciasView``. Anything else (no or a bad token, a wrong parameter, the browsable API)
goes on to that view, which answers it, errors included, as documented. The answer's bytes are the view's.
"""

import json

from django.http import HttpResponse
from rest_framework.exceptions import AuthenticationFailed

from apps.accounts.authentication import ServiceJWTAuthentication
from apps.clinic.selectors import referencias_cita
from apps.clinic.serializers import ReferenciasQuerySerializer
from apps.common.roles import PERMISOS

PATHS = frozenset({"/interno/referencias", "/interno/referencias/"})
ROLES = frozenset(PERMISOS["interno.leer"].roles)
JSON_ACCEPTED = frozenset({"", "*/*", "application/json"})
PARAMETERS = frozenset(ReferenciasQuerySerializer().fields)


def _caller_may_read(request) -> bool:
    try:
        found = ServiceJWTAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return found is not None and found[0].rol in ROLES


def _render(data) -> bytes:
    """As DRF's JSONRenderer writes it (compact, UTF-8, no NaN)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class ReferenciasFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or request.path_info not in PATHS
            or request.headers.get("Accept", "") not in JSON_ACCEPTED
            or not request.GET.keys() <= PARAMETERS  # e.g. DRF's ?format=
            or not _caller_may_read(request)
        ):
            return self.get_response(request)
        query = ReferenciasQuerySerializer(data=request.GET)
        if not query.is_valid():
            return self.get_response(request)
        body = _render(referencias_cita(**query.validated_data).to_json())
        response = HttpResponse(body, content_type="application/json")
        response["Content-Length"] = len(body)  # else gunicorn would chunk it
        return response
