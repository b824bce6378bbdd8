"""Creating one object or a JSON array of them in one request: all of them, or none."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from apps.common.exceptions import Conflict
from apps.common.openapi import CONFLICT

T = TypeVar("T")


@transaction.atomic
def create_all_or_none(*, items: Sequence[dict[str, Any]], create: Callable[..., T]) -> list[T]:
    """Create every item with ``create`` or none of them.

    Each item runs in a savepoint so that one conflict does not hide the others: every failing
    item is reported under its index, and then the whole batch is rolled back.
    """
    created: list[T] = []
    errors: dict[str, Any] = {}
    for index, item in enumerate(items):
        try:
            with transaction.atomic():
                created.append(create(**item))
        except Conflict as exc:
            errors[str(index)] = {
                exc.field or "non_field_errors": [ErrorDetail(str(exc.message), code=exc.code)]
            }
    if errors:
        raise ValidationError(errors)
    return created


class BulkCreateMixin:
    """``create`` for a view set: a JSON object creates one, a JSON array creates all or none.

    Set ``create_serializer_class`` (validates one item), ``create_service`` (a staticmethod: the
    keyword-only service function taking the validated fields) and ``max_batch``. The answer is
    serialized with ``get_serializer``.
    """

    create_serializer_class: type[serializers.Serializer]
    create_service: Callable[..., Any]
    max_batch = 1000

    def create(self, request, *args, **kwargs):
        many = isinstance(request.data, list)
        if many and len(request.data) > self.max_batch:
            raise ValidationError(
                {"non_field_errors": [_("At most %(max)d items per request.") % {"max": self.max_batch}]},
                code="lote_demasiado_grande",
            )
        options = {"many": True, "allow_empty": False} if many else {}
        body = self.create_serializer_class(data=request.data, **options)
        if not body.is_valid():
            # A list's errors are keyed by the items' int indexes; as strings, every one (0 included)
            # becomes part of the error's "attr", like the conflicts of create_all_or_none.
            raise ValidationError({str(key): errors for key, errors in body.errors.items()})
        if many:
            created = create_all_or_none(items=body.validated_data, create=self.create_service)
        else:
            created = self.create_service(**body.validated_data)
        return Response(self.get_serializer(created, many=many).data, status=status.HTTP_201_CREATED)


def bulk_create_schema(
    *,
    name: str,
    request: type[serializers.Serializer],
    response: type[serializers.Serializer],
    summary: str,
    description: str,
    example: dict[str, Any],
):
    """Schema of a BulkCreateMixin.create: one object or an array, in and out."""
    return extend_schema(
        examples=[OpenApiExample(name, value=example, request_only=True)],
        request=PolymorphicProxySerializer(
            component_name=f"{name}CreateBody",
            serializers=[request, request(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name=f"{name}CreateResult",
                serializers=[response, response(many=True)],
                resource_type_field_name=None,
                many=False,
            ),
            409: CONFLICT,
        },
        summary=summary,
        description=description
        + " Send one JSON object, or a JSON array of them: all are created in one transaction or none,"
        " and a failure answers 400 naming the index of each bad item.",
    )
