"""Domain errors: each has a stable ``code`` clients can branch on and a translated message."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflicto"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("A service this request depends on is unavailable. Try again later.")
    default_code = "servicio_no_disponible"


class DependencyUnavailable(Exception):
    """A service this deployable depends on did not answer in time, or failed. The API answers 503."""
