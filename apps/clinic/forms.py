from django import forms
from django.utils.translation import gettext_lazy as _

from apps.clinic.data import hora_a_minutos, minutos_a_hora


class HoraFormField(forms.CharField):
    """A wall time typed as ``HH:MM`` (``24:00`` is the end of the day), cleaned to minutes since midnight."""

    default_error_messages = {"invalid": _("Enter a time as HH:MM, from 00:00 to 24:00.")}

    def __init__(self, **kwargs):
        for option in ("min_value", "max_value", "step_size"):
            kwargs.pop(option, None)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update(size=5, placeholder="HH:MM")

    def prepare_value(self, value):
        return minutos_a_hora(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return hora_a_minutos(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
