from rest_framework import filters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ``?ordering=``, with the primary key last: pages of a non-unique ordering (``especialidad``)
    would otherwise skip and repeat rows, since the database may break ties differently per query."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        return None if ordering is None else [*ordering, "pk"]
