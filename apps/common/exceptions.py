"""Errors of the project's own.

Services raise ``DomainError`` subclasses: a stable ``code`` clients can branch on, a translated message and,
where one input is at fault, its ``field``. They know nothing of HTTP: the API's one exception handler
(``apps.common.errors``) gives each kind its status code.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class DomainError(Exception):
    code = "error"
    message = _("The request was refused.")
    field: str | None = None

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message if message is not None else type(self).message
        self.field = field if field is not None else type(self).field
        self.code = code or type(self).code
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """The input breaks a rule: answered 400, naming the field when there is one."""


class NotAllowed(DomainError):
    """The caller's role or identity may not do this: answered 403."""

    code = "permission_denied"
    message = _("You do not have permission to perform this action.")


class Conflict(DomainError):
    """The request conflicts with the current state (a duplicate, a taken slot): answered 409."""

    code = "conflicto"
    message = _("The request conflicts with the current state of the resource.")


class Unprocessable(DomainError):
    """Well-formed, but not something that can be done: answered 422."""


class AlreadyExists(Conflict):
    """What is being created is there already (a taken username, the same centro): a load that runs again
    skips it."""


class DependencyUnavailable(Exception):
    """A service this deployable depends on did not answer in time, or failed. The API answers 503."""


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("A service this request depends on is unavailable. Try again later.")
    default_code = "servicio_no_disponible"
