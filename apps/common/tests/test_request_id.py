import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.common.request_id import RequestIdFilter, RequestIdMiddleware, current_request_id

pytestmark = pytest.mark.django_db


def test_a_sane_request_id_is_kept_and_answered(client):
    response = client.get("/health", HTTP_X_REQUEST_ID="reserva-42.a_b")
    assert response["X-Request-ID"] == "reserva-42.a_b"


def test_a_request_id_is_made_when_none_is_given(client):
    first, second = client.get("/health")["X-Request-ID"], client.get("/health")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize("offered", ["has spaces", "x" * 129, "new\nline", "<script>"])
def test_an_unsafe_request_id_is_replaced(client, offered):
    answered = client.get("/health", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert answered != offered
    assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_log_records_of_a_request_carry_its_id():
    seen = []

    def view(request):
        record = logging.LogRecord("odontocare", logging.INFO, __file__, 1, "booking", None, None)
        RequestIdFilter().filter(record)
        seen.append(record.request_id)
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc-123"))
    assert seen == ["abc-123"]
    assert current_request_id() is None  # and it is gone once the request is over


def test_the_log_line_of_an_error_answer_carries_the_request_id(client, caplog):
    client.get("/no-such-path", HTTP_X_REQUEST_ID="lost-7")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(record)
    assert record.request_id == "lost-7"
