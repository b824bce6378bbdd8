"""The messages on citas' staff site: what was sent, and the dead letters (FALLIDA, INTERRUMPIDA) to look
at and, when staff decide so, to send again."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.appointments.staff.admin import site
from apps.notifications import services
from apps.notifications.models import EstadoNotificacion, Notificacion

DEAD_LETTERS = [EstadoNotificacion.FALLIDA, EstadoNotificacion.INTERRUMPIDA]


class DeadLetterFilter(admin.SimpleListFilter):
    title = _("dead letters")
    parameter_name = "dead_letter"

    def lookups(self, request, model_admin):
        return [("1", _("Dead letters only"))]

    def queryset(self, request, queryset):
        return queryset.filter(estado__in=DEAD_LETTERS) if self.value() == "1" else queryset


@admin.register(Notificacion, site=site)
class NotificacionAdmin(admin.ModelAdmin):
    list_display = [
        "id_notificacion",
        "cita",
        "tipo",
        "estado",
        "intentos",
        "destinatario",
        "creado",
        "enviado",
    ]
    list_filter = [DeadLetterFilter, "estado", "tipo", "canal"]
    search_fields = ["destinatario", "cita__paciente_nombre", "ultimo_error"]
    ordering = ["-creada", "-id_notificacion"]
    actions = ["reintentar"]
    readonly_fields = [field.name for field in Notificacion._meta.fields]
    list_select_related = ["cita"]

    @admin.display(description=_("written"), ordering="creada")
    def creado(self, notificacion: Notificacion) -> str:
        return f"{timezone.localtime(notificacion.creada):%Y-%m-%d %H:%M:%S}"

    @admin.display(description=_("sent"), ordering="enviada")
    def enviado(self, notificacion: Notificacion) -> str:
        return (
            f"{timezone.localtime(notificacion.enviada):%Y-%m-%d %H:%M:%S}" if notificacion.enviada else "-"
        )

    def has_add_permission(self, request):
        return False  # written by the bookings

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was sent

    @admin.action(description=_("Send the selected dead letters again"), permissions=["change"])
    def reintentar(self, request, queryset):
        sent = sum(
            services.notificacion_retry(id_notificacion=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": sent}, messages.SUCCESS
        )
