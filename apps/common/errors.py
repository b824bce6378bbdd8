"""Errors as JSON: the API's exception handler, and Django-level error views in the same shape."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, InternalError, OperationalError
from django.http import JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework_simplejwt.exceptions import InvalidToken as SimpleJWTInvalidToken

from apps.common.authentication import InvalidToken
from apps.common.exceptions import (
    Conflict,
    DependencyUnavailable,
    DomainError,
    InvalidInput,
    NotAllowed,
    PayloadTooLarge,
    ServiceUnavailable,
    Unprocessable,
)

logger = logging.getLogger(__name__)

READ_ONLY = "25006"  # PostgreSQL: read_only_sql_transaction


class ConflictResponse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT


class UnprocessableResponse(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def api_exception(error: DomainError) -> exceptions.APIException:
    """A service's domain error as the DRF exception that answers it: 400 for bad input (naming the field),
    403 for what the caller may not do, 409 for a conflict with the current state."""
    detail = exceptions.ErrorDetail(str(error.message), code=error.code)
    if isinstance(error, Conflict):
        return ConflictResponse(detail)
    if isinstance(error, NotAllowed):
        return exceptions.PermissionDenied(detail)
    if isinstance(error, Unprocessable):
        return UnprocessableResponse(detail)
    if isinstance(error, InvalidInput):
        return exceptions.ValidationError({error.field or api_settings.NON_FIELD_ERRORS_KEY: [detail]})
    raise TypeError(f"No HTTP answer is defined for {type(error).__name__}") from error


class ExceptionHandler(StandardizedExceptionHandler):
    """drf-standardized-errors' handler, plus: the services' domain errors, 503 when a dependency is down
    or SQLite is busy, 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and one error for a bad token."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        # A dependency that is down, or a database that refuses the work (SQLite busy past its timeout, a
        # read-only or missing database, a lost connection): trouble to wait out, not a defect.
        read_only = isinstance(exc, InternalError) and getattr(exc.__cause__, "sqlstate", None) == READ_ONLY
        if isinstance(exc, DependencyUnavailable | OperationalError | InterfaceError) or read_only:
            logger.warning("Answering 503: %s", exc)
            return ServiceUnavailable()
        if isinstance(exc, DomainError):
            return api_exception(exc)
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if isinstance(exc, SimpleJWTInvalidToken) or (
            isinstance(exc, exceptions.AuthenticationFailed) and isinstance(exc.detail, dict)
        ):
            # simplejwt's detail is a dict (one entry per token class it tried, or a code and a message for
            # a malformed header), which would come out as several errors; the caller needs one, worded as
            # on the citas deployable.
            single = InvalidToken()
            single.auth_header = getattr(exc, "auth_header", None)  # WWW-Authenticate, set by the view
            return single
        return super().convert_known_exceptions(exc)

    def format_exception(self, exc):
        """The error body; a view may word the failures of an action its own way (``error_prefixes``:
        action -> the words that every 400 and 409 message of it starts with)."""
        data = super().format_exception(exc)
        view = self.context.get("view")
        prefix = getattr(view, "error_prefixes", {}).get(getattr(view, "action", None))
        if prefix and exc.status_code in (400, 409):
            for error in data["errors"]:
                error["detail"] = f"{prefix}{error['detail']}"
        return data

    def report_exception(self, exc, response) -> None:
        # An outage or overload is expected and logged above; it is not a defect to report.
        if response.status_code != 503:
            super().report_exception(exc, response)


def json_error(request, exc: exceptions.APIException) -> JsonResponse:
    data = ExceptionFormatter(exc, {"request": request}, exc).run()
    return JsonResponse(data, status=exc.status_code)


def locked_out(request, wait: int) -> JsonResponse:
    """The answer to a login attempt while its address or account is locked: 429 JSON with Retry-After."""
    response = json_error(request, exceptions.Throttled(wait=wait))
    response["Retry-After"] = str(wait)
    return response


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return json_error(request, PayloadTooLarge())
    return json_error(request, exceptions.ParseError())


def permission_denied(request, exception=None):
    return json_error(request, exceptions.PermissionDenied())


def not_found(request, exception=None):
    return json_error(request, exceptions.NotFound())


def server_error(request):
    return json_error(request, exceptions.APIException())


def csrf_failure(request, reason=""):
    return json_error(request, exceptions.PermissionDenied(reason or None))
