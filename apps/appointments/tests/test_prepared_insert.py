"""A booking's rows (the cita, its history, its message) are inserted with statements written once, and stored
as Django's own insert stores them."""

import pytest
from django.db import connection, models
from django.db.models.functions import Now
from django.db.models.sql.compiler import SQLInsertCompiler

from apps.appointments.models import Cita
from apps.appointments.tests.factories import PRIMERA, CitaFactory
from apps.common import sql
from apps.notifications.models import Notificacion, TipoNotificacion

pytestmark = pytest.mark.django_db

# What differs between two bookings: keys, the doctor and patient (two citas at one time), instants written.
WRITTEN_EACH_TIME = {"id_cita", "cita_id", "id_notificacion", "history_id", "clave"}
WRITTEN_EACH_TIME |= {"id_doctor", "id_paciente", "creada", "actualizada", "proximo_intento", "history_date"}


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The tables of the inserts Django's compiler writes."""
    tables = []
    compile_insert = SQLInsertCompiler.as_sql

    def counting(self):
        tables.append(self.query.model._meta.db_table)
        return compile_insert(self)

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", counting)
    return tables


def book(n: int) -> Cita:
    cita = CitaFactory.build(
        id_doctor=100 + n, id_paciente=200 + n, paciente_nombre="Ana", motivo="Revisión", fecha=PRIMERA
    )
    cita._change_reason = "creada"
    cita.save(force_insert=True)
    Notificacion.objects.create(cita=cita, tipo=TipoNotificacion.RESERVA, clave=f"reserva:{cita.pk}")
    return cita


def stored(cita: Cita) -> list[dict]:
    rows = [
        Cita.objects.filter(pk=cita.pk).values().get(),
        cita.history.values().get(),
        Notificacion.objects.filter(cita=cita).values().get(),
    ]
    return [{k: v for k, v in row.items() if k not in WRITTEN_EACH_TIME} for row in rows]


def test_the_rows_of_a_booking_are_inserted_without_compiling_and_stored_as_django_stores_them(
    compiled, monkeypatch
):
    prepared = book(1)
    assert compiled == []
    assert prepared.pk is not None and not prepared._state.adding

    with monkeypatch.context() as as_django:
        as_django.setattr(sql.PreparedInsert, "_do_insert", models.Model._do_insert)
        djangos = book(2)
    assert compiled == ["appointments_cita", "appointments_historicalcita", "notifications_notificacion"]

    assert stored(prepared) == stored(djangos)
    assert prepared.history.get().history_type == "+"
    assert Cita.objects.get(pk=prepared.pk).fin == prepared.fin


def test_a_value_that_is_an_expression_is_inserted_by_django(compiled):
    cita = book(1)
    compiled.clear()
    message = Notificacion.objects.create(
        cita=cita, tipo=TipoNotificacion.RECORDATORIO, clave="recordatorio", proximo_intento=Now()
    )
    assert compiled == ["notifications_notificacion"]
    message.refresh_from_db()
    assert message.proximo_intento is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no prepared statements")
def test_postgresql_prepares_each_insert_once_per_connection():
    for n in range(3):
        book(n)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['INSERT INTO "appointments_cita" %'],
        )
        assert cursor.fetchone()[0] == 1
