from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model

from .models import Clinic, StaffMembership
from .selectors import FILTERS, SORTS
from .services import MAX_EMAIL_LENGTH

MAX_UPLOAD_BYTES = 1_000_000


def submit_button(label: str, css_class: str = "btn-primary") -> Submit:
    button = Submit("submit", label)
    button.field_classes = f"btn {css_class}"  # replace crispy's default btn-primary instead of stacking on it
    return button


def helper(label: str, *, method: str = "post", css_class: str = "btn-primary") -> FormHelper:
    form_helper = FormHelper()
    form_helper.form_method = method
    form_helper.add_input(submit_button(label, css_class))
    return form_helper


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text="One per line, or separated by commas. You can paste a column from a spreadsheet.",
    )
    csv_file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        help_text="The first row must be a header with “email” and, if you like, “name”. Up to 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("Send invitations")
        self.helper.form_enctype = "multipart/form-data"

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("That file is larger than 1 MB. Split it into smaller files.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("emails") or "").strip() and not cleaned.get("csv_file") and not self.errors:
            raise forms.ValidationError("Paste at least one email address or choose a CSV file.")
        return cleaned


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Clinic code", max_length=20, help_text="8 letters and numbers, from your clinic's flyer."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("Continue")


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree that this clinic can see my name, email, course progress, quiz scores and last activity.",
        error_messages={"required": "Please tick the box to agree, or choose “No thanks”."},
    )

    def __init__(self, *args, submit_label: str = "Agree and join", invited: str = "", joining_as: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited:
            # Signed in with another address than the invitation's: joining is fine, but not by mistake.
            self.fields["not_the_invitee"] = forms.BooleanField(
                label=f"Join with my own account ({joining_as}), not as {invited}.",
                error_messages={"required": f"Please confirm that you are joining as {joining_as}."},
            )
        self.helper = helper(submit_label)


MAX_SEARCH_LENGTH = 100


class DashboardFilterForm(forms.Form):
    q = forms.CharField(
        label="Find a person",
        required=False,
        help_text="Part of a name or email address.",
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_SEARCH_LENGTH, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    status = forms.ChoiceField(label="Show", choices=list(FILTERS.items()), required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name"),
            ("email", "Email"),
            ("joined", "Joined"),
            ("invited", "Invited"),
            ("progress", "Progress"),
            ("activity", "Last activity"),
            ("quiz", "Quiz average"),
            ("completed", "Completed"),
        ],
    )
    order = forms.ChoiceField(label="Order", choices=[("asc", "Ascending"), ("desc", "Descending")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "family-filters"
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-12 col-md-8")),
            Row(
                Column("status", css_class="col-12 col-md-4"),
                Column("sort", css_class="col-6 col-md-3"),
                Column("order", css_class="col-6 col-md-3"),
                Column(
                    submit_button("Apply", "btn-outline-primary mb-3"),
                    css_class="col-12 col-md-2 d-flex align-items-end",
                ),
            ),
        )

    def values(self) -> dict:
        """Cleaned values, each falling back to its default when invalid (never an error page): a bad sort never
        drops the search or the filter, so the page and its CSV list the same families."""
        self.is_valid()  # cleaned_data then holds every field that is valid
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "name"
        return {
            "search": " ".join((data.get("q") or "")[:MAX_SEARCH_LENGTH].split()),
            "status": data.get("status") or "",
            "sort": sort if sort in SORTS else "name",
            "descending": data.get("order") == "desc",
        }


class AddStaffForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=MAX_EMAIL_LENGTH,
        help_text="They need a Support Circle account first.",
    )
    role = forms.ChoiceField(label="Role", choices=StaffMembership.Role.choices, initial=StaffMembership.Role.STAFF)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("Add to staff")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.user = get_user_model().objects.filter(email__iexact=email).first()
        if self.user is None:
            raise forms.ValidationError("No account uses this address. Ask them to create one, then add them here.")
        return email


class ClinicSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["name", "contact_phone", "after_hours_phone", "courses"]
        widgets = {"courses": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = self.fields["courses"].queryset.filter(published=True)
        self.helper = helper("Save settings")
