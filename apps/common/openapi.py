"""Schemas of the error answers that drf-standardized-errors does not describe by itself.

Views that can answer 409 or 503 name them in ``@extend_schema(responses=...)``.
"""

from drf_spectacular.utils import OpenApiResponse
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers


class DomainErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code to branch on, e.g. `doble_reserva`.")
    detail = serializers.CharField(help_text="Human message in the request's language.")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = DomainErrorSerializer(many=True)


class ErrorResponse503Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = DomainErrorSerializer(many=True)


CONFLICT = OpenApiResponse(ErrorResponse409Serializer, description="Conflict with the current state.")
UNAVAILABLE = OpenApiResponse(ErrorResponse503Serializer, description="A service it depends on is down.")
