import django_filters

from apps.accounts.models import User
from apps.common.filters import BooleanFilter


class UserFilter(django_filters.FilterSet):
    is_active = BooleanFilter()

    class Meta:
        model = User
        fields = ["rol", "is_active"]
