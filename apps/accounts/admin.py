from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from apps.accounts.models import User
from apps.common.history import HistoryAdmin
from apps.common.roles import Rol

# The service account's role is given and taken by the bootstrap command only, never on the staff site.
ROLES_DEL_STAFF = [(value, label) for value, label in Rol.choices if value != Rol.SERVICIO]


class RolFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rol = self.fields["rol"]
        if self.instance.pk and self.instance.rol == Rol.SERVICIO:
            rol.disabled = True
        else:
            rol.choices = ROLES_DEL_STAFF


class UsuarioChangeForm(RolFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["username", "password", "rol", "is_active"]


class UsuarioCreationForm(RolFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "rol"]

    rol = forms.ChoiceField(choices=ROLES_DEL_STAFF)


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    form = UsuarioChangeForm
    add_form = UsuarioCreationForm
    list_display = ["id_user", "username", "rol", "is_active", "last_login"]
    list_filter = ["rol", "is_active"]
    search_fields = ["username"]
    ordering = ["id_user"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Rol y acceso", {"fields": ["rol", "is_active"]}),
        ("Fechas", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "rol", "password1", "password2"]})]
    filter_horizontal = []
