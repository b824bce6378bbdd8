from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.fields import Serializer


class HealthSerializer(Serializer):
    status = serializers.ChoiceField(choices=["ok", "error"])
    service = serializers.CharField()
    database = serializers.ChoiceField(choices=["ok", "error"])
    detail = serializers.CharField(required=False, help_text="What is wrong, when something is.")


NO_CHANGE = "UPDATE django_migrations SET app = app WHERE id = (SELECT MIN(id) FROM django_migrations)"
_expected_migrations: set[tuple[str, str]] | None = None


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration of this deployable's apps, read once per process (from the code, not the database)."""
    global _expected_migrations
    if _expected_migrations is None:
        _expected_migrations = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return _expected_migrations


def database_problem() -> str | None:
    """Why this deployable's own database cannot serve it (missing, unmigrated, read-only), or None."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db() and not Path(name).is_file():
        return "the database file is missing"
    try:
        applied = set(MigrationRecorder(connection).applied_migrations())
        if expected_migrations() - applied:
            return "the database is not migrated"
        with transaction.atomic():
            # A write that changes nothing, undone at once: the database must take writes.
            with connection.cursor() as cursor:
                cursor.execute(NO_CHANGE)
            transaction.set_rollback(True)
    except DatabaseError as exc:
        return f"the database refuses: {exc.__class__.__name__}"
    return None


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health check",
        operation_id="health",
        description="200 when this deployable's own database is there, migrated and takes writes; 503 "
        "otherwise. No authentication.",
        responses={200: HealthSerializer, 503: HealthSerializer},
        auth=[],
    )
    def get(self, request):
        problem = database_problem()
        if problem:
            body = {
                "status": "error",
                "service": settings.SERVICE_NAME,
                "database": "error",
                "detail": problem,
            }
            return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"status": "ok", "service": settings.SERVICE_NAME, "database": "ok"})
