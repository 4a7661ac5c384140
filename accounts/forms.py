from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import dates
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import User
from .reminders import choose_rhythm

NAME_REQUIRED = _("Please enter a name, even just a first name.")


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls signup() after creating the user)."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("Shown on your certificate. A first name is fine."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": NAME_REQUIRED},
    )
    reminders = forms.BooleanField(
        label=_("Remind me once a week while I have a lesson to finish"),
        required=False,
        help_text=_("You can choose another rhythm, or stop them, in your profile or from any reminder."),
    )
    field_order = ["display_name", "email", "password1", "password2", "reminders"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(NAME_REQUIRED)
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        if self.cleaned_data.get("reminders"):
            choose_rhythm(user, User.ReminderRhythm.WEEKLY)


# Django's own day names (Monday = 0, as calendar), translated in every language Django speaks.
WEEKDAYS = [(str(n), day) for n, day in dates.WEEKDAYS.items()]


class ProfileForm(forms.ModelForm):
    reminder_weekdays = forms.MultipleChoiceField(
        label=capfirst(User._meta.get_field("reminder_weekdays").verbose_name),
        help_text=User._meta.get_field("reminder_weekdays").help_text,
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["display_name", "language", "relationship", "reminder_rhythm"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "reminder_rhythm": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["reminder_weekdays"] = list(self.instance.reminder_weekdays)
        self.fields["display_name"].required = True
        self.fields["display_name"].error_messages["required"] = NAME_REQUIRED
        self.fields["language"].required = False  # left out: unchanged
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save profile")))

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(NAME_REQUIRED)
        return name

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.instance.language

    def clean_reminder_weekdays(self) -> str:
        return "".join(sorted(self.cleaned_data["reminder_weekdays"]))

    def save(self, commit=True):
        rhythm = self.cleaned_data["reminder_rhythm"]
        user = super().save(commit=False)
        user.save(update_fields=["display_name", "language", "relationship"])
        choose_rhythm(user, rhythm, self.cleaned_data["reminder_weekdays"])
        return user


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it's really you."),
    )
    confirm = forms.BooleanField(label=_("I understand this deletes my account, progress and certificates for good."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        delete = Submit("delete", _("Delete my account"))
        delete.field_classes = "btn btn-danger"
        self.helper.add_input(delete)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not correct."))
        return password
