from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext as _

from .models import SECTIONS, SafetyPlan


class PlanText(forms.CharField):
    """A part of the plan. A typed line break counts as one character, as it is stored."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class SafetyPlanForm(forms.ModelForm):
    class Meta:
        model = SafetyPlan
        fields = list(SECTIONS)
        field_classes = dict.fromkeys(SECTIONS, PlanText)
        widgets = {name: forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}) for name in SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The limit is checked on the server and named in the error; the browser's maxlength would cut a
            # pasted text short without saying so.
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = _(
                "Please shorten this part to %(limit_value)d characters or fewer (it has %(show_value)d). "
                "Your text is kept below."
            )
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"novalidate": ""}
        save = Submit("save", _("Save my plan"))
        save.field_classes = "btn btn-primary"
        self.helper.add_input(save)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any((cleaned.get(name) or "").strip() for name in SECTIONS):
            raise forms.ValidationError(_("Write something in at least one part of the plan before saving."))
        return cleaned
