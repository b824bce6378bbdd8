"""The API's pages: ``{"count", "count_exacto", "next", "previous", "results"}``.

``count`` is exact up to ``COUNT_EXACTO_HASTA`` and an estimate beyond it (``count_exacto`` false): see
``apps.common.counts``. Whether a page has a next one is never taken from the count: each page reads one row
more than it shows, so a page past a low estimate is served when it has rows, and the last page has no next.
"""

from math import ceil

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.common.counts import Count, count_rows
from apps.common.fields import Serializer

# The largest offset both engines' LIMIT … OFFSET take: a page beyond it cannot have rows.
MAX_OFFSET = 2**63 - 1


def _count_help() -> str:
    cap = settings.COUNT_EXACTO_HASTA
    return (
        f"How many results: exact up to {cap:,}; beyond that an estimate (`count_exacto` false), never below "
        f"{cap + 1:,}. Follow `next` rather than computing pages from it."
    )


count_help = lazy(_count_help, str)
COUNT_EXACTO_HELP = "Whether `count` is exact; false when it is an estimate."


class CountedPaginator(Paginator):
    """Django's paginator with the capped count of ``apps.common.counts``, whose pages read one row more
    than they show."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = settings.COUNT_EXACTO_HASTA if cap is None else cap
        self._count: Count | None = None

    def _counted(self) -> Count:
        if self._count is None:
            self._count = count_rows(self.object_list, cap=self.cap)
        return self._count

    @property
    def count(self) -> int:
        return self._counted().value

    @property
    def count_exacto(self) -> bool:
        return self._counted().exact

    @property
    def num_pages(self) -> int:
        # Not cached, unlike Django's: reading a page can correct the count.
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.count - self.orphans) / self.per_page)

    def count_exactly(self) -> None:
        """Replace an estimate with the exact count, reading every row: for the one page that needs it."""
        if not self.count_exacto:
            self._count = Count(self.object_list.order_by().count(), exact=True)

    def validate_number(self, number) -> int:
        if self.count_exacto:
            return super().validate_number(number)
        # Django's checks but the one against the count: past an estimate, only reading a page tells.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        seen = bottom + len(rows)
        if not has_next:
            self._count = Count(seen, exact=True)  # the last page: what came before it and what it shows
        elif self.count <= seen:
            self._count = Count(seen + 1, exact=False)  # at least its rows and the next one
        return CountedPage(rows, number, self, has_next=has_next)


class CountedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers with a counted paginator, refusing a ``page_size`` that is not a whole number from
    1 to 200 (400) instead of quietly using the default."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CountedPaginator

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            message = _("A page_size is a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]}, code="invalid")
        return int(raw)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            paginator.count_exactly()  # the last page of an estimate is nowhere in particular
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_exacto": self.page.paginator.count_exacto,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        response["properties"] = {
            "count": {**properties.pop("count"), "description": _count_help()},
            "count_exacto": {"type": "boolean", "description": COUNT_EXACTO_HELP},
            **properties,
        }
        response["required"] = ["count", "count_exacto", "results"]
        return response


# A page's envelope, for the schema of a view that documents its page by hand: a subclass adds ``results``.
# (A comment, not a docstring: the schema would give every such page this description.)
class PaginaSerializer(Serializer):
    count = serializers.IntegerField(help_text=count_help())
    count_exacto = serializers.BooleanField(help_text=COUNT_EXACTO_HELP)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
