from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        import config.checks  # noqa: F401 (registers the project's system checks)

        from .permissions import record_two_factor_on_activation

        authenticator_added.connect(record_two_factor_on_activation, dispatch_uid="record_two_factor_on_activation")
