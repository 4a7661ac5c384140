from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .languages import language_choices
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
        label=gettext_lazy("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=gettext_lazy("One per line, or separated by commas. You can paste a column from a spreadsheet."),
    )
    csv_file = forms.FileField(
        label=gettext_lazy("Or upload a CSV file"),
        required=False,
        help_text=gettext_lazy(
            "The first row must be a header with “email” and, if you like, “name” and “language”. In the "
            "“language” column write en (English) or es (Spanish); a blank cell uses the language chosen below. "
            "Up to 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    # Not required: a form posted without it invites in the language of the page it was sent from.
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation"),
        required=False,
        choices=language_choices,
        help_text=gettext_lazy(
            "The email, the join page and the consent text are in this language. A CSV “language” column can "
            "choose it row by row."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Send invitations"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("That file is larger than 1 MB. Split it into smaller files."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("emails") or "").strip() and not cleaned.get("csv_file") and not self.errors:
            raise forms.ValidationError(_("Paste at least one email address or choose a CSV file."))
        return cleaned


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Clinic code"),
        max_length=20,
        help_text=gettext_lazy("8 letters and numbers, from your clinic's flyer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Continue"))


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=gettext_lazy(
            "I agree that this clinic can see my name, email, course progress, quiz scores and last activity."
        ),
        error_messages={"required": gettext_lazy("Please tick the box to agree, or choose “No thanks”.")},
    )

    def __init__(self, *args, submit_label: str = "", invited: str = "", joining_as: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited:
            # Signed in with another address than the invitation's: joining is fine, but not by mistake.
            self.fields["not_the_invitee"] = forms.BooleanField(
                label=_("Join with my own account (%(mine)s), not as %(invited)s.")
                % {"mine": joining_as, "invited": invited},
                error_messages={
                    "required": _("Please confirm that you are joining as %(mine)s.") % {"mine": joining_as}
                },
            )
        self.helper = helper(submit_label or _("Agree and join"))


MAX_SEARCH_LENGTH = 100


class DashboardFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find a person"),
        required=False,
        help_text=gettext_lazy("Part of a name or email address."),
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_SEARCH_LENGTH, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    status = forms.ChoiceField(label=gettext_lazy("Show"), choices=list(FILTERS.items()), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=lambda: [("", _("Any language")), *language_choices()],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("name", gettext_lazy("Name")),
            ("email", gettext_lazy("Email")),
            ("joined", gettext_lazy("Joined")),
            ("invited", gettext_lazy("Invited")),
            ("progress", gettext_lazy("Progress")),
            ("activity", gettext_lazy("Last activity")),
            ("quiz", gettext_lazy("Quiz average")),
            ("completed", gettext_lazy("Completed")),
            ("language", gettext_lazy("Language")),
        ],
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=[("asc", gettext_lazy("Ascending")), ("desc", gettext_lazy("Descending"))],
        required=False,
    )

    @cached_property
    def helper(self) -> FormHelper:
        # Built only when the form is drawn: the dashboard keeps the drawn form as HTML (clinics/views.py), so most
        # requests only read the submitted values.
        helper = FormHelper()
        helper.form_method = "get"
        helper.form_class = "family-filters"
        helper.layout = Layout(
            Row(Column("q", css_class="col-12 col-md-8")),
            Row(
                Column("status", css_class="col-12 col-md-3"),
                Column("language", css_class="col-12 col-md-2"),
                Column("sort", css_class="col-6 col-md-3"),
                Column("order", css_class="col-6 col-md-2"),
                Column(
                    submit_button(_("Apply"), "btn-outline-primary mb-3"),
                    css_class="col-12 col-md-2 d-flex align-items-end",
                ),
            ),
        )
        return helper

    def values(self) -> dict:
        """Cleaned values, each falling back to its default when invalid (never an error page): a bad sort never
        drops the search or the filter, so the page and its CSV list the same families."""
        self.is_valid()  # cleaned_data then holds every field that is valid
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "name"
        return {
            "search": " ".join((data.get("q") or "")[:MAX_SEARCH_LENGTH].split()),
            "status": data.get("status") or "",
            "language": data.get("language") or "",
            "sort": sort if sort in SORTS else "name",
            "descending": data.get("order") == "desc",
        }


class AddStaffForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Their email address"),
        max_length=MAX_EMAIL_LENGTH,
        help_text=gettext_lazy("They need a Support Circle account first."),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=StaffMembership.Role.choices, initial=StaffMembership.Role.STAFF
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Add to staff"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.user = get_user_model().objects.filter(email__iexact=email).first()
        if self.user is None:
            raise forms.ValidationError(_("No account uses this address. Ask them to create one, then add them here."))
        return email


class ClinicSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["name", "contact_phone", "after_hours_phone", "courses"]
        widgets = {"courses": forms.CheckboxSelectMultiple}
        labels = {
            "name": gettext_lazy("Name"),
            "contact_phone": gettext_lazy("Contact phone"),
            "after_hours_phone": gettext_lazy("After-hours line"),
            "courses": gettext_lazy("Courses"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = self.fields["courses"].queryset.filter(published=True)
        self.helper = helper(_("Save settings"))
