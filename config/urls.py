from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from accounts import languages
from config import bare
from config import views as config_views
from courses import views as course_views
from quizzes import views as quiz_views

admin.site.site_header = gettext_lazy("Support Circle administration")
admin.site.site_title = gettext_lazy("Support Circle admin")
# Admin sign-in is allauth's: the same rate limits and the two-factor step as the rest of the site.
admin.site.login = secure_admin_login(admin.site.login)

# Every page in both languages: English without a prefix, Spanish under /es/ (stable, shareable URLs).
urlpatterns = i18n_patterns(
    path("", course_views.home, name="home"),
    path("about/", course_views.about, name="about"),
    path("my-learning/", quiz_views.dashboard, name="dashboard"),
    path("verify/", course_views.certificate_verify, name="certificate_verify_form"),
    path("verify/<str:code>/", course_views.certificate_verify, name="certificate_verify"),
    path("courses/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("clinics/", include("clinics.urls")),
    path("toolkit/", include("toolkit.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
) + [
    path("language/", languages.set_language, name="set_language"),
    path("healthz", config_views.healthz, name="healthz"),
]
if settings.ANYMAIL_PROVIDER:  # the provider's webhooks: bounces and complaints (clinics/tasks.py)
    urlpatterns.append(path("anymail/", include("anymail.urls")))
if settings.BENCH_BARE_VIEW:
    # A fixed tiny page: the baseline bench/run.py compares every page against. Unnamed, no data; routed only
    # when the benchmark asks for it (BENCH_BARE_VIEW=1).
    urlpatterns.append(path("bench/bare/", bare.bare))

# 403, 404 and 500 use Django's views with templates/403.html, 404.html, 500.html; Django's 400 view
# renders without the request, which would drop the crisis line from our layout.
handler400 = "config.views.bad_request"
