from django.contrib import admin

from apps.clinic.models import Centro, Doctor, EstadoPaciente, Paciente
from apps.clinic.services import paciente_update


@admin.register(Centro)
class CentroAdmin(admin.ModelAdmin):
    list_display = ["id_centro", "nombre", "direccion", "actualizado"]
    search_fields = ["nombre", "direccion"]
    readonly_fields = ["creado", "actualizado"]


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ["id_doctor", "nombre", "especialidad", "user"]
    list_filter = ["especialidad"]
    search_fields = ["nombre", "especialidad", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["creado", "actualizado"]


@admin.register(Paciente)
class PacienteAdmin(admin.ModelAdmin):
    list_display = ["id_paciente", "nombre", "telefono", "estado", "user"]
    list_filter = ["estado"]
    search_fields = ["nombre", "telefono", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["creado", "actualizado"]
    actions = ["desactivar"]

    @admin.action(description="Desactivar los pacientes seleccionados")
    def desactivar(self, request, queryset):
        for paciente in queryset:
            paciente_update(paciente=paciente, estado=EstadoPaciente.INACTIVO)
