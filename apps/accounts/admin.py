from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["id_user", "username", "rol", "is_active", "is_staff", "last_login"]
    list_filter = ["rol", "is_active", "is_staff"]
    search_fields = ["username"]
    ordering = ["id_user"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Rol y acceso", {"fields": ["rol", "is_active", "is_staff", "is_superuser"]}),
        ("Fechas", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "rol", "password1", "password2"]})]
    filter_horizontal = []
