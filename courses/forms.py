from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VerifyCertificateForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        max_length=20,
        help_text=gettext_lazy("12 letters and digits, as printed on the certificate."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("certificate_verify_form")
        self.helper.add_input(Submit("verify", _("Check certificate")))

    def clean_code(self):
        code = self.cleaned_data["code"].upper().replace("-", "").replace(" ", "")
        if len(code) != 12 or not code.isalnum():
            raise forms.ValidationError(_("A certificate code has 12 letters and digits, like ABCD-EFGH-JKMN."))
        return code
