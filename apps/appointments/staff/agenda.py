"""The front desk's agenda: one local day of a centro, its doctors side by side with their citas and free
slots; a free slot booked for a patient found by name or documento, a cita cancelled."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.appointments import services
from apps.appointments.gateway import GestionNoDisponible, gestion
from apps.appointments.models import DURACION_POR_DEFECTO, Cita
from apps.appointments.selectors import agenda_del_dia
from apps.common.exceptions import DomainError


class DiaForm(forms.Form):
    id_centro = forms.TypedChoiceField(label=_("Centro"), coerce=int)
    fecha = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, centros, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_centro"].choices = [(centro.id_centro, centro.nombre) for centro in centros]


class ReservaForm(forms.Form):
    id_centro = forms.IntegerField(widget=forms.HiddenInput)
    id_doctor = forms.IntegerField(widget=forms.HiddenInput)
    fecha = forms.DateTimeField(widget=forms.HiddenInput)
    id_paciente = forms.TypedChoiceField(label=_("Patient"), coerce=int, widget=forms.RadioSelect)
    motivo = forms.CharField(label=_("Reason for the visit"), max_length=500, required=False)

    def __init__(self, *args, pacientes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_paciente"].choices = [
            (p.id_paciente, f"{p.nombre} · {p.documento or _('no documento')}") for p in pacientes if p.activo
        ]


def _volver(id_centro: int, fecha: datetime | str) -> HttpResponseRedirect:
    dia = fecha if isinstance(fecha, str) else timezone.localtime(fecha).date().isoformat()
    return HttpResponseRedirect(
        f"{reverse('admin:agenda')}?{urlencode({'id_centro': id_centro, 'fecha': dia})}"
    )


@permission_required("appointments.view_cita", raise_exception=True)
def agenda(request, *, site):
    try:
        centros = gestion().centros()
        form = DiaForm(request.GET or {"fecha": timezone.localdate()}, centros=centros)
        columnas = None
        if form.is_valid():
            columnas = agenda_del_dia(
                id_centro=form.cleaned_data["id_centro"],
                dia=form.cleaned_data["fecha"],
                gestion=gestion(),
                duracion_minutos=DURACION_POR_DEFECTO,
            )
    except GestionNoDisponible:
        messages.error(
            request, _("gestion does not answer: the agenda cannot be shown now. Try again later.")
        )
        form, columnas = DiaForm(centros=()), None
    except DomainError as exc:
        messages.error(request, exc.message)
        columnas = None
    return render(
        request,
        "admin/appointments/agenda.html",
        {**site.each_context(request), "title": _("Agenda"), "form": form, "columnas": columnas},
    )


@permission_required("appointments.add_cita", raise_exception=True)
def reservar(request, *, site):
    data = request.POST if request.method == "POST" else request.GET
    buscar = data.get("buscar", "").strip()
    try:
        # The form sends the search back, so that the patient chosen is one of those it offered.
        pacientes = gestion().pacientes(buscar=buscar) if buscar else ()
    except GestionNoDisponible:
        messages.error(request, _("gestion does not answer: try again later."))
        pacientes = ()
    form = ReservaForm(data if "id_paciente" in data else None, initial=data, pacientes=pacientes)
    if request.method == "POST" and form.is_valid():
        datos = services.DatosCita(**form.cleaned_data, duracion_minutos=DURACION_POR_DEFECTO)
        try:
            cita = services.cita_create(datos=datos, actor=request.user.actor, gestion=gestion())
        except (DomainError, GestionNoDisponible) as exc:
            messages.error(request, _("The cita could not be booked: %(why)s") % {"why": _message(exc)})
        else:
            messages.success(
                request,
                _("Booked: %(cita)s for %(nombre)s.") % {"cita": cita, "nombre": cita.paciente_nombre},
            )
            return _volver(cita.id_centro, cita.fecha)
    return render(
        request,
        "admin/appointments/reservar.html",
        {**site.each_context(request), "title": _("Book a free slot"), "form": form, "buscar": buscar},
    )


@require_POST
@permission_required("appointments.change_cita", raise_exception=True)
def cancelar(request, id_cita: int, *, site):
    cita = get_object_or_404(Cita, pk=id_cita)
    try:
        services.cita_cancel(
            cita_id=cita.pk, actor=request.user.actor, motivo=request.POST.get("motivo", "")[:500]
        )
    except DomainError as exc:
        messages.error(request, _("The cita could not be cancelled: %(why)s") % {"why": exc.message})
    else:
        messages.success(request, _("Cancelled: %(cita)s.") % {"cita": cita})
    return _volver(cita.id_centro, cita.fecha)


def _message(exc: Exception) -> str:
    return str(exc.message) if isinstance(exc, DomainError) else str(_("gestion does not answer."))
