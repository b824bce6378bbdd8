"""citas' staff site: the citas, searched and filtered by the names they were booked under, and cancelled
with a reason; the day's agenda of a centro (``agenda.py``). Every write goes through the booking services."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appointments import services
from apps.appointments.gateway import AccesoBloqueado
from apps.appointments.models import ESTADOS_ACTIVOS, Cita
from apps.appointments.staff import agenda
from apps.common.errors import locked_out
from apps.common.exceptions import DomainError
from apps.common.history import HistoryAdmin


class CitasAdminSite(admin.AdminSite):
    site_header = "OdontoCare · citas"
    site_title = "OdontoCare citas"
    index_title = _("Appointments")
    index_template = "admin/appointments/index.html"

    def login(self, request, extra_context=None):
        try:
            return super().login(request, extra_context)
        except AccesoBloqueado as exc:
            return locked_out(request, exc.retry_after)

    def get_urls(self):
        def view(function):
            return self.admin_view(partial(function, site=self))

        own = [
            path("agenda/", view(agenda.agenda), name="agenda"),
            path("agenda/reservar/", view(agenda.reservar), name="agenda-reservar"),
            path("agenda/cancelar/<int:id_cita>/", view(agenda.cancelar), name="agenda-cancelar"),
        ]
        return own + super().get_urls()


site = CitasAdminSite(name="admin")


class MotivoForm(forms.Form):
    motivo = forms.CharField(label=_("Reason"), max_length=500, required=False)


@admin.register(Cita, site=site)
class CitaAdmin(HistoryAdmin):
    list_display = ["id_cita", "hora_local", "paciente_nombre", "doctor_nombre", "centro_nombre", "estado"]
    list_display_links = ["id_cita", "hora_local"]
    list_filter = ["estado", "centro_nombre", "doctor_nombre", "fecha"]
    search_fields = ["paciente_nombre", "doctor_nombre", "centro_nombre", "motivo"]
    date_hierarchy = "fecha"
    ordering = ["fecha", "id_cita"]
    actions = ["cancelar"]
    # Booked from the agenda, changed through the API: here a cita is read, and cancelled.
    readonly_fields = [field.name for field in Cita._meta.fields]

    @admin.display(description=_("when"), ordering="fecha")
    def hora_local(self, cita: Cita) -> str:
        return f"{timezone.localtime(cita.fecha):%Y-%m-%d %H:%M}"

    def has_add_permission(self, request):
        return False  # booked from the agenda, where the free slots are

    @admin.action(description=_("Cancel the selected citas"), permissions=["change"])
    def cancelar(self, request, queryset):
        form = MotivoForm(request.POST if "motivo" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "citas": queryset,
                "form": form,
                "title": _("Cancel"),
            }
            return render(request, "admin/appointments/cancelar.html", context)
        cancelled = 0
        for cita in queryset.filter(estado__in=ESTADOS_ACTIVOS):
            try:
                services.cita_cancel(
                    cita_id=cita.pk, actor=request.user.actor, motivo=form.cleaned_data["motivo"]
                )
            except DomainError as exc:
                self.message_user(request, f"{cita}: {exc.message}", messages.ERROR)
            else:
                cancelled += 1
        self.message_user(request, _("%(count)d cita(s) cancelled.") % {"count": cancelled}, messages.SUCCESS)
        return None
