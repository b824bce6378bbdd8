"""The one error shape of the API, as the OpenAPI schema documents it.

drf-standardized-errors can describe a component per field and error code; one shared component
keeps generated clients small. Views that can answer 409 or 503 name them in
``@extend_schema(responses=...)``.
"""

from drf_spectacular.plumbing import get_lib_doc_excludes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from apps.common.fields import Serializer, StrictModelSerializer


def doc_excludes() -> list[type]:
    """The classes whose docstrings say how the code works, not what a schema's component is."""
    return [*get_lib_doc_excludes(), Serializer, StrictModelSerializer]


class ErrorSerializer(Serializer):
    code = serializers.CharField(help_text="Stable code to branch on, e.g. `not_found`, `doble_reserva`.")
    detail = serializers.CharField(help_text="Human message in the request's language.")
    attr = serializers.CharField(
        allow_null=True, help_text="The field at fault (`2.username` for an item of an array), or null."
    )


class ErrorResponseSerializer(Serializer):
    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    errors = ErrorSerializer(many=True)


UNAUTHORIZED = OpenApiResponse(
    ErrorResponseSerializer, description="Wrong credentials, or an invalid, expired or revoked token."
)
CONFLICT = OpenApiResponse(ErrorResponseSerializer, description="Conflict with the current state.")
THROTTLED = OpenApiResponse(
    ErrorResponseSerializer, description="Too many attempts: wait the seconds of Retry-After."
)
UNAVAILABLE = OpenApiResponse(ErrorResponseSerializer, description="A service it depends on is down.")
