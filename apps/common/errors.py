"""Django-level error views in the same JSON shape that DRF views answer with."""

from django.http import JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from rest_framework import exceptions


def json_error(request, exc: exceptions.APIException) -> JsonResponse:
    data = ExceptionFormatter(exc, {"request": request}, exc).run()
    return JsonResponse(data, status=exc.status_code)


def bad_request(request, exception=None):
    return json_error(request, exceptions.ParseError())


def permission_denied(request, exception=None):
    return json_error(request, exceptions.PermissionDenied())


def not_found(request, exception=None):
    return json_error(request, exceptions.NotFound())


def server_error(request):
    return json_error(request, exceptions.APIException())


def csrf_failure(request, reason=""):
    return json_error(request, exceptions.PermissionDenied(reason or None))
