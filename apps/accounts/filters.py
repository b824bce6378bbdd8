from apps.accounts.models import User
from apps.common.filters import BooleanFilter, StaticFilterSet


class UserFilter(StaticFilterSet):
    is_active = BooleanFilter()

    class Meta:
        model = User
        fields = ["rol", "is_active"]
