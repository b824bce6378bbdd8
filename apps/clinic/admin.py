from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.clinic.models import Ausencia, Centro, Doctor, EstadoPaciente, Horario, Paciente
from apps.clinic.services import (
    ausencia_delete,
    centro_update,
    doctor_update,
    horario_delete,
    horario_save,
    horarios_solapados,
    paciente_update,
)
from apps.common.history import HistoryAdmin


@admin.register(Centro)
class CentroAdmin(HistoryAdmin):
    list_display = ["id_centro", "nombre", "direccion", "intervalo_minutos", "activo", "actualizado"]
    list_filter = ["activo"]
    actions = ["desactivar"]

    @admin.action(description="Desactivar los centros seleccionados", permissions=["change"])
    def desactivar(self, request, queryset):
        for centro in queryset:
            centro_update(centro=centro, activo=False)

    search_fields = ["nombre", "direccion"]
    readonly_fields = ["creado", "actualizado"]


class HorarioForm(forms.ModelForm):
    """A range of a doctor's horario; one that overlaps another of the doctor's is refused here, before the
    service would refuse it on saving."""

    class Meta:
        model = Horario
        fields = [
            "doctor",
            "centro",
            "dia_semana",
            "hora_inicio",
            "hora_fin",
            "vigente_desde",
            "vigente_hasta",
        ]

    def clean(self):
        cleaned = super().clean()
        horario = self.instance
        for name, value in cleaned.items():
            setattr(horario, name, value)
        if horario.hora_inicio is not None and horario.hora_fin is not None:
            if horario.hora_inicio >= horario.hora_fin:
                raise forms.ValidationError(_("The range must end after it starts."))
            if horario.doctor_id is not None and horarios_solapados(horario).exists():
                raise forms.ValidationError(
                    _("The doctor already works at that time, at this or another centro.")
                )
        return cleaned


class HorarioInline(admin.TabularInline):
    model = Horario
    form = HorarioForm
    extra = 0
    fk_name = "doctor"


@admin.register(Doctor)
class DoctorAdmin(HistoryAdmin):
    list_display = ["id_doctor", "nombre", "especialidad", "activo", "user"]
    list_filter = ["especialidad", "activo"]
    actions = ["desactivar"]

    @admin.action(description="Desactivar los doctores seleccionados", permissions=["change"])
    def desactivar(self, request, queryset):
        for doctor in queryset:
            doctor_update(doctor=doctor, activo=False)

    search_fields = ["nombre", "especialidad", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["creado", "actualizado"]
    inlines = [HorarioInline]

    def save_formset(self, request, form, formset, change):
        for horario in formset.save(commit=False):
            horario_save(horario=horario)
        for horario in formset.deleted_objects:
            horario_delete(horario=horario)


@admin.register(Horario)
class HorarioAdmin(HistoryAdmin):
    form = HorarioForm
    list_display = [
        "id_horario",
        "doctor",
        "centro",
        "dia_semana",
        "desde_hasta",
        "vigente_desde",
        "vigente_hasta",
    ]
    list_filter = ["dia_semana", "centro"]
    search_fields = ["doctor__nombre", "centro__nombre"]
    list_select_related = ["doctor", "centro"]
    raw_id_fields = ["doctor"]

    @admin.display(description=_("horas"))
    def desde_hasta(self, horario: Horario) -> str:
        return str(horario).rsplit(" ", 1)[-1]

    def save_model(self, request, obj, form, change):
        horario_save(horario=obj)

    def delete_model(self, request, obj):
        horario_delete(horario=obj)


@admin.register(Ausencia)
class AusenciaAdmin(HistoryAdmin):
    list_display = ["id_ausencia", "doctor", "centro", "inicio", "fin", "motivo"]
    list_filter = ["centro"]
    search_fields = ["doctor__nombre", "centro__nombre", "motivo"]
    list_select_related = ["doctor", "centro"]
    raw_id_fields = ["doctor"]
    date_hierarchy = "inicio"

    def delete_model(self, request, obj):
        ausencia_delete(ausencia=obj)


@admin.register(Paciente)
class PacienteAdmin(HistoryAdmin):
    list_display = ["id_paciente", "nombre", "telefono", "estado", "user"]
    list_filter = ["estado"]
    search_fields = ["nombre", "telefono", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["creado", "actualizado"]
    actions = ["desactivar"]

    @admin.action(description="Desactivar los pacientes seleccionados", permissions=["change"])
    def desactivar(self, request, queryset):
        for paciente in queryset:
            paciente_update(paciente=paciente, estado=EstadoPaciente.INACTIVO)
