"""The pages' count: exact up to the cap, a flagged estimate beyond it; pages and links never trust it."""

import pytest
from django.core.paginator import EmptyPage
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.common import counts
from apps.common.models import ClaveIdempotencia
from apps.common.pagination import CountedPaginator, PageNumberPagination

pytestmark = pytest.mark.django_db

TOTAL = 23


@pytest.fixture
def claves():
    ClaveIdempotencia.objects.bulk_create(
        ClaveIdempotencia(id_user=1, clave=f"clave-{n:02d}", huella="h") for n in range(TOTAL)
    )
    return ClaveIdempotencia.objects.order_by("clave")


@pytest.fixture
def low_estimate(monkeypatch):
    """An engine whose estimate is far too low, as a planner's may be after many inserts."""
    monkeypatch.setattr(counts, "planner_estimate", lambda rows: 1)


def claves_of(page) -> list[str]:
    return [clave.clave for clave in page]


@pytest.mark.parametrize("cap", [TOTAL, TOTAL + 1, 10_000])
def test_count_is_exact_up_to_the_cap(claves, cap):
    paginator = CountedPaginator(claves, 5, cap=cap)
    assert (paginator.count, paginator.count_exacto) == (TOTAL, True)


def test_beyond_the_cap_the_count_is_an_estimate_never_below_the_cap_and_one(claves, low_estimate):
    paginator = CountedPaginator(claves, 5, cap=10)
    assert (paginator.count, paginator.count_exacto) == (11, False)


def test_a_page_past_a_low_estimate_is_still_served(claves, low_estimate):
    paginator = CountedPaginator(claves, 5, cap=3)
    assert paginator.count == 4  # a single page, by the estimate
    page = paginator.page(3)
    assert claves_of(page) == [f"clave-{n:02d}" for n in range(10, 15)]
    assert page.has_next() and page.has_previous()
    assert (paginator.count, paginator.count_exacto) == (16, False)  # at least what it has seen, and one


def test_the_last_real_page_has_no_next_and_knows_the_exact_count(claves, low_estimate):
    paginator = CountedPaginator(claves, 5, cap=3)
    page = paginator.page(5)
    assert claves_of(page) == ["clave-20", "clave-21", "clave-22"]
    assert not page.has_next()
    assert (paginator.count, paginator.count_exacto) == (TOTAL, True)


@pytest.mark.parametrize("cap", [3, 10_000])
def test_a_page_past_the_end_is_empty(claves, low_estimate, cap):
    with pytest.raises(EmptyPage):
        CountedPaginator(claves, 5, cap=cap).page(6)


def test_a_first_page_of_nothing_is_served_and_counts_zero(db):
    paginator = CountedPaginator(ClaveIdempotencia.objects.order_by("pk"), 5, cap=3)
    page = paginator.page(1)
    assert (list(page), page.has_next(), paginator.count, paginator.count_exacto) == ([], False, 0, True)


def test_a_list_is_counted_exactly_whatever_the_cap():
    paginator = CountedPaginator(list(range(50)), 5, cap=3)
    assert (paginator.count, paginator.count_exacto) == (50, True)


def paginate(claves, query: str):
    pagination = PageNumberPagination()
    request = Request(APIRequestFactory().get(f"/claves?{query}"))
    rows = pagination.paginate_queryset(claves, request)
    return rows, pagination.get_paginated_response([row.clave for row in rows]).data


def test_the_body_says_whether_its_count_is_exact(claves, low_estimate, settings):
    settings.COUNT_EXACTO_HASTA = 10
    _, body = paginate(claves, "page_size=5")
    assert list(body) == ["count", "count_exacto", "next", "previous", "results"]
    assert (body["count"], body["count_exacto"]) == (11, False)
    settings.COUNT_EXACTO_HASTA = 100
    _, body = paginate(claves, "page_size=5")
    assert (body["count"], body["count_exacto"]) == (TOTAL, True)


def test_links_around_a_page_past_the_estimate(claves, low_estimate, settings):
    settings.COUNT_EXACTO_HASTA = 3
    _, body = paginate(claves, "page_size=5&page=2")
    assert body["previous"] == "http://testserver/claves?page_size=5"
    assert body["next"] == "http://testserver/claves?page=3&page_size=5"
    _, body = paginate(claves, "page_size=5&page=5")
    assert body["previous"] == "http://testserver/claves?page=4&page_size=5"
    assert body["next"] is None
    assert body["results"] == ["clave-20", "clave-21", "clave-22"]


def test_the_last_page_is_the_real_one_whatever_the_estimate(claves, low_estimate, settings):
    settings.COUNT_EXACTO_HASTA = 3
    _, body = paginate(claves, "page_size=5&page=last")
    assert body["results"] == ["clave-20", "clave-21", "clave-22"]
    assert (body["count"], body["count_exacto"], body["next"]) == (TOTAL, True, None)


@pytest.mark.parametrize("page", ["6", "99999999999999999999999", "0", "uno"])
def test_a_page_with_no_rows_or_no_number_is_not_found(claves, low_estimate, settings, page):
    settings.COUNT_EXACTO_HASTA = 3
    with pytest.raises(NotFound):
        paginate(claves, f"page_size=5&page={page}")
