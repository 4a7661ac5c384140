import csv
import hashlib
import itertools
from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import F
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.adapter import AFTER_LOGIN_SESSION_KEY, INVITED_EMAIL_SESSION_KEY
from accounts.languages import SUPPORTED, supported_or_none, translate_path
from config.caches import CLINIC_REPORT_SECONDS, cached_family_list, cached_fragment
from config.middleware import accepts_upload, private_page

from . import charts, selectors, services
from .flyer import qr_svg
from .forms import (
    MAX_UPLOAD_BYTES,
    AddStaffForm,
    ClinicSettingsForm,
    ConsentForm,
    DashboardFilterForm,
    InviteForm,
    JoinCodeForm,
)
from .languages import FLYER_LINKS, language_name
from .models import AuditEvent, Clinic, FamilyMember, PendingJoin, StaffMembership
from .permissions import clinic_staff_required

PAGE_SIZE = 25
# The family list's caption: "sorted by progress".
SORT_NAMES = {
    "name": pgettext_lazy("sorted by", "name"),
    "email": pgettext_lazy("sorted by", "email"),
    "joined": pgettext_lazy("sorted by", "joined"),
    "invited": pgettext_lazy("sorted by", "invited"),
    "progress": pgettext_lazy("sorted by", "progress"),
    "activity": pgettext_lazy("sorted by", "activity"),
    "quiz": pgettext_lazy("sorted by", "quiz"),
    "completed": pgettext_lazy("sorted by", "completed"),
    "language": pgettext_lazy("sorted by", "language"),
}
PENDING_JOIN = "clinics.pending_join"


# --- Staff pages ------------------------------------------------------------------------------------------


@login_required
def clinic_list(request):
    clinics = list(Clinic.objects.for_staff(request.user).distinct())
    if len(clinics) == 1:
        return redirect(clinics[0])
    return render(request, "clinics/clinic_list.html", {"clinics": clinics})


def _report_context(clinic, request):
    scope = selectors.ClinicScope.of(clinic)
    filters = DashboardFilterForm(request.GET or None)
    chosen = filters.values()
    return scope, filters, chosen


def family_table(request, clinic, scope, chosen) -> str:
    """The dashboard's family list (or pending invitations) for this view, as HTML cached (config/caches.py).

    Sorting 5,000 families by progress or activity costs tens of milliseconds of database and template time, and
    staff reload the same few views.
    """
    view = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    return cached_family_list(
        clinic.pk,
        f"{','.join(map(str, scope.course_ids))}:{translation.get_language()}:{view}",  # the HTML is in one language
        lambda: _family_table_html(request, clinic, scope, chosen),
    )


def _family_table_html(request, clinic, scope, chosen) -> str:
    context = {
        "clinic": clinic,
        "chosen": chosen,
        "query_without_page": _query_without(request, "page"),
        "query_without_sort": _query_without(request, "sort", "order", "page"),
        "sort_name": SORT_NAMES.get(chosen["sort"], chosen["sort"]),
    }
    if chosen["status"] == "not_joined":
        invitations = selectors.pending_invitations(clinic, search=chosen["search"], language=chosen["language"])
        context["page"] = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        rows = selectors.family_rows(clinic, scope, **chosen)
        page = selectors.family_page(rows, request.GET.get("page"), PAGE_SIZE)
        progress = selectors.family_progress([m.user_id for m in page.object_list], scope)
        for member in page.object_list:
            member.progress = progress[member.user_id]
        context.update(page=page, courses=scope.courses)
    return render_to_string("clinics/_family_table.html", context)


@clinic_staff_required
def dashboard(request, clinic):
    scope, filters, chosen = _report_context(clinic, request)
    report = selectors.clinic_report(clinic, scope)
    # The filter form and the report's parts (tiles, charts, funnel, most-missed questions) cost more to render
    # than the rest of the page: they are kept as HTML, the form by what was asked, the report's parts by the
    # report they show (its cache key's version and build time).
    asked = hashlib.sha256(filters.data.urlencode().encode() if filters.is_bound else b"").hexdigest()
    drawn = f"{clinic.pk}:{scope.course_ids}:{report['computed_at'].isoformat()}"

    def report_html(part: str, context) -> str:
        return cached_fragment(
            f"clinic-report:{part}:{drawn}", lambda: render_to_string(f"clinics/_report_{part}.html", context(report))
        )

    context = {
        "clinic": clinic,
        "filters_html": cached_fragment(
            f"clinic-filters:{asked}", lambda: render_to_string("clinics/_filters.html", {"filters": filters})
        ),
        "chosen": chosen,
        "family_table": family_table(request, clinic, scope, chosen),
        # The figures the kept HTML shows, as data (the page's context is what tests and debugging read).
        "summary": report["summary"],
        "funnel": report["funnel"],
        "missed": report["missed"],
        "report_summary_html": report_html("summary", _report_summary),
        "report_pictures_html": report_html("pictures", _report_pictures),
        "query_without_page": _query_without(request, "page"),
        "query_without_search": _query_without(request, "q", "page"),
        "flyers": _flyer_links(clinic),
    }
    return render(request, "clinics/dashboard.html", context)


# The report's parts show figures from the report alone: nothing from the request or the person.


def _report_summary(report: dict) -> dict:
    summary = report["summary"]
    return {
        "report_time": report["computed_at"],
        "report_minutes": CLINIC_REPORT_SECONDS // 60,
        "summary_tiles": [
            (pgettext("summary tile: how many people", "Invited"), f"{summary.invited:,}"),
            (pgettext("summary tile: how many people", "Joined"), f"{summary.joined:,}"),
            (pgettext("summary tile: how many people", "Started"), f"{summary.started:,}"),
            (pgettext("summary tile: how many people", "Completed"), f"{summary.completed:,}"),
            (_("Completion rate"), f"{summary.completion_rate}%"),
        ],
    }


def _report_pictures(report: dict) -> dict:
    joined = report["summary"].joined

    def chart_html(chart) -> str:
        return render_to_string("clinics/_chart.html", {"chart": chart})

    return {
        "summary": report["summary"],
        "missed": report["missed"],
        "funnel_chart": chart_html(charts.funnel_chart(report["funnel"], joined)),
        "progress_chart": chart_html(charts.progress_chart(report["progress"], joined)),
        "activity_chart": chart_html(charts.activity_chart(report["activity"])),
    }


def _flyer_links(clinic) -> list[tuple[str, str]]:
    """The flyer in each language, for the staff pages: (link text, address)."""
    url = reverse("clinics:flyer", args=[clinic.slug])
    return [(label, f"{url}?language={code}") for code, label in FLYER_LINKS.items()]


def _query_without(request, *keys) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


class _Echo:
    def write(self, value):
        return value


EXPORT_BATCH = 1000


# Excel reads a CSV as the computer's legacy code page unless the file starts with a UTF-8 byte order mark.
EXCEL_UTF8_BOM = "\ufeff"


@clinic_staff_required
def export_csv(request, clinic):
    """Streams what the current view lists (filter and search), so a 5,000-family clinic never builds the file in
    memory."""
    scope, _filters, chosen = _report_context(clinic, request)
    services.record(
        actor=request.user,
        clinic=clinic,
        action=AuditEvent.Action.EXPORT_CSV,
        filter=chosen["status"] or "all",
        searched=bool(chosen["search"]),  # not what was typed: it may be a person's name
    )
    writer = csv.writer(_Echo())
    rows = (
        _invitation_lines(clinic, chosen, writer)
        if chosen["status"] == "not_joined"
        else _family_lines(clinic, scope, chosen, writer)
    )
    lines = _in_language(translation.get_language(), itertools.chain([EXCEL_UTF8_BOM], rows))
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{clinic.slug}-families-{stamp}.csv"'
    return response


def _in_language(language: str, lines):
    """The lines are written while the response streams, after the view (and its request's language) has returned:
    under ASGI in another thread. They keep the language of the page they were asked from."""
    with translation.override(language):
        yield from lines


def _day(value) -> str:
    return value.date().isoformat() if value else ""


def _family_lines(clinic, scope, chosen, writer):
    yield writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Invited"),
            _("Joined"),
            _("Lessons completed"),
            _("Lessons in course(s)"),
            _("Last activity"),
            _("Quiz average (%)"),
            _("Completed (certificate date)"),
            _("Language"),
        ]
    )
    rows = selectors.family_rows(clinic, scope, **chosen).iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(rows, EXPORT_BATCH)):
        progress = selectors.family_progress([m.user_id for m in batch], scope)
        for m in batch:
            family = progress[m.user_id]
            yield writer.writerow(
                [
                    safe_cell(m.user.display_name),
                    safe_cell(m.user.email),
                    _day(m.invited_at),
                    _day(m.joined_at),
                    family.lessons_done,
                    family.lessons_total,
                    _day(family.last_activity),
                    "" if family.quiz_percent is None else family.quiz_percent,
                    _day(family.completed_on),
                    language_name(m.user.language),
                ]
            )


def _invitation_lines(clinic, chosen, writer):
    yield writer.writerow([_("Email"), _("Name"), _("Invited"), _("Link expires"), _("Language")])
    invitations = selectors.pending_invitations(clinic, search=chosen["search"], language=chosen["language"])
    for invitation in invitations.iterator(chunk_size=EXPORT_BATCH):
        yield writer.writerow(
            [
                safe_cell(invitation.email),
                safe_cell(invitation.name),
                _day(invitation.created_at),
                _day(invitation.expires_at),
                language_name(invitation.language),
            ]
        )


def safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@clinic_staff_required
def member_detail(request, clinic, user_id):
    member = get_object_or_404(FamilyMember.objects.select_related("user"), clinic=clinic, user_id=user_id)
    scope = selectors.ClinicScope.of(clinic)
    progress = selectors.family_progress([member.user_id], scope)[member.user_id]
    courses = selectors.member_detail(member.user_id, scope, progress)
    services.record_member_view(actor=request.user, clinic=clinic, member=member)
    return render(
        request,
        "clinics/member_detail.html",
        {"clinic": clinic, "member": member, "progress": progress, "courses": courses},
    )


@accepts_upload(max_bytes=MAX_UPLOAD_BYTES + 1_000_000)  # the CSV and the pasted list
@clinic_staff_required
def invite(request, clinic):
    page_language = translation.get_language()
    form = InviteForm(request.POST or None, request.FILES or None, initial={"language": page_language})
    report = None
    if request.method == "POST" and form.is_valid():
        rows = services.rows_from_text(form.cleaned_data.get("emails") or "")
        upload = form.cleaned_data.get("csv_file")
        if upload:
            try:
                rows += services.rows_from_csv(upload.read())
            except ValueError as problem:
                form.add_error("csv_file", str(problem))
        if not form.errors:
            language = form.cleaned_data.get("language") or page_language
            report = services.invite_families(clinic=clinic, actor=request.user, rows=rows, language=language)
            if report.invited:
                count = len(report.invited)
                messages.success(
                    request,
                    _("%(count)s invitation(s) queued: the emails go out in the next minutes.")
                    % {"count": f"{count:,}"},
                )
            if not report.problems:
                return redirect("clinics:invitations", slug=clinic.slug)
            # Keep only the problem rows in the box, so the person can fix them and send again.
            form = InviteForm(
                initial={"emails": "\n".join(r.email for r in report.problems if r.email), "language": language}
            )
    return render(request, "clinics/invite.html", {"clinic": clinic, "form": form, "report": report})


@clinic_staff_required
def invitations(request, clinic):
    # Who actually joined from each invitation (it may be someone signed in with another address).
    invitations = clinic.invitations.annotate(joined_as=F("member__user__email")).order_by("-created_at")
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clinics/invitations.html",
        {"clinic": clinic, "page": page, "delivery": clinic.invitations.delivery_counts()},
    )


@require_POST
@clinic_staff_required
def invitation_action(request, clinic, pk, action):
    invitation = get_object_or_404(clinic.invitations, pk=pk)
    if action not in ("resend", "revoke"):
        return redirect("clinics:invitations", slug=clinic.slug)
    try:
        if action == "resend":
            services.resend_invitation(invitation=invitation, actor=request.user)
            messages.success(
                request,
                _("Invitation to %(email)s queued again: it goes out in a minute.") % {"email": invitation.email},
            )
        else:
            services.revoke_invitation(invitation=invitation, actor=request.user)
            messages.success(
                request, _("Invitation to %(email)s revoked: its link no longer works.") % {"email": invitation.email}
            )
    except services.JoinProblem as problem:
        messages.error(request, str(problem))
    return redirect("clinics:invitations", slug=clinic.slug)


@clinic_staff_required
def flyer(request, clinic):
    """The printable flyer in the page's language, or the one `?language=` asks for (the staff pages link to each):
    its text, join link and QR code all lead to the join page in that language."""
    asked = request.GET.get("language", "")
    flyer_language = asked if asked in SUPPORTED else translation.get_language()
    with translation.override(flyer_language):
        join_url = request.build_absolute_uri(clinic.join_path())
        code_url = request.build_absolute_uri(reverse("clinics:join_code"))
        qr = qr_svg(join_url)
    return render(
        request,
        "clinics/flyer.html",
        {
            "clinic": clinic,
            "join_url": join_url,
            "code_url": code_url,
            "qr": qr,
            "flyer_language": flyer_language,
            "flyers": _flyer_links(clinic),
        },
    )


@clinic_staff_required(manager=True)
def staff(request, clinic):
    form = AddStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_staff(clinic=clinic, actor=request.user, user=form.user, role=form.cleaned_data["role"])
            messages.success(request, _("%(email)s added to the staff.") % {"email": form.user.email})
            return redirect("clinics:staff", slug=clinic.slug)
        except services.StaffChangeRefused as refused:
            form.add_error("email", str(refused))
    members = clinic.staff.select_related("user").order_by("user__email")
    return render(
        request,
        "clinics/staff.html",
        {"clinic": clinic, "form": form, "members": members, "roles": StaffMembership.Role.choices},
    )


@require_POST
@clinic_staff_required(manager=True)
def staff_action(request, clinic, pk):
    membership = get_object_or_404(clinic.staff.select_related("clinic", "user"), pk=pk)
    try:
        if request.POST.get("action") == "remove":
            services.remove_staff(membership=membership, actor=request.user)
            messages.success(request, _("%(email)s removed from the staff.") % {"email": membership.user.email})
        elif request.POST.get("role") in StaffMembership.Role.values:
            services.change_staff_role(membership=membership, actor=request.user, role=request.POST["role"])
            messages.success(request, _("%(email)s's role updated.") % {"email": membership.user.email})
        else:
            messages.error(request, _("Choose a role from the list."))
    except services.StaffChangeRefused as refused:
        messages.error(request, str(refused))
    return redirect("clinics:staff", slug=clinic.slug)


@clinic_staff_required(manager=True)
def clinic_settings(request, clinic):
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.record(actor=request.user, clinic=clinic, action=AuditEvent.Action.SETTINGS, fields=form.changed_data)
        messages.success(request, _("Clinic settings saved."))
        return redirect("clinics:settings", slug=clinic.slug)
    return render(request, "clinics/settings.html", {"clinic": clinic, "form": form})


# --- Families joining and leaving ----------------------------------------------------------------------


def join_code(request):
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clinic = services.clinic_from_code(form.cleaned_data["code"])
            return redirect("clinics:join_link", code=clinic.join_code)
        except services.JoinProblem as problem:
            form.add_error("code", str(problem))
    return render(request, "clinics/join_code.html", {"form": form})


def join_link(request, code):
    try:
        clinic = services.clinic_from_code(code)
    except services.JoinProblem as problem:
        return render(request, "clinics/join_problem.html", {"problem": problem}, status=404)
    return _consent(request, clinic=clinic, pending={"code": clinic.join_code})


@private_page  # it names the person invited
def join_invitation(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.JoinProblem as problem:
        return render(request, "clinics/join_problem.html", {"problem": problem}, status=410)
    if not request.user.is_authenticated:
        # The invitation reached this address: signing up with it (and only it) needs no confirmation email.
        request.session[INVITED_EMAIL_SESSION_KEY] = invitation.email
    wanted = _join_language(request, invitation)
    if request.method == "GET" and wanted != translation.get_language():
        # The page's address says its language: open the invitation at its own language's address.
        return redirect(translate_path(request.get_full_path(), wanted))
    return _consent(request, clinic=invitation.clinic, invitation=invitation, pending={"token": token})


def _join_language(request, invitation) -> str:
    """The invitation's language (staff chose it), unless this person picked another with the language switch."""
    return supported_or_none(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or invitation.language


def _consent(request, *, clinic, pending, invitation=None):
    """Show what the clinic will see; join only after the person agrees. Someone signed in with another address
    than the invitation's is told whom it was for, and confirms they are joining as themselves."""
    user = request.user
    already = user.is_authenticated and FamilyMember.objects.filter(clinic=clinic, user=user).exists()
    someone_else = bool(invitation and user.is_authenticated and not services.is_addressed_to(invitation, user))
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        submit_label=_("Agree and join") if user.is_authenticated else _("Agree and continue"),
        invited=invitation.email if someone_else else "",
        joining_as=user.email if someone_else else "",
    )
    if request.method == "POST" and form.is_valid() and not already:
        if request.user.is_authenticated:
            return _complete_join(request, clinic, invitation)
        # Remember the agreement through sign-up or sign-in, then finish joining.
        request.session[PENDING_JOIN] = pending
        request.session[AFTER_LOGIN_SESSION_KEY] = reverse("clinics:join_continue")
        return redirect(
            f"{reverse('account_signup')}?email={invitation.email}" if invitation else reverse("account_signup")
        )
    return render(
        request,
        "clinics/join.html",
        {"clinic": clinic, "invitation": invitation, "form": form, "already": already, "someone_else": someone_else},
    )


def _complete_join(request, clinic, invitation):
    services.join_clinic(user=request.user, clinic=clinic, invitation=invitation)
    request.session.pop(PENDING_JOIN, None)
    messages.success(request, _("You've joined %(clinic)s. Your course is ready below.") % {"clinic": clinic.name})
    return redirect("dashboard")


def remember_join_on_sign_up(sender, request, user, **kwargs):
    """allauth's user_signed_up: a join agreed in this browser is kept with the new account, so confirming the
    address in another browser (or on another day) still completes it."""
    pending = request.session.get(PENDING_JOIN) if request is not None else None
    if not pending:
        return
    try:
        if "token" in pending:
            invitation = services.invitation_from_token(pending["token"])
            clinic = invitation.clinic
        else:
            invitation, clinic = None, services.clinic_from_code(pending["code"])
    except services.JoinProblem:
        return  # join_continue explains it when they sign in
    PendingJoin.objects.update_or_create(user=user, defaults={"clinic": clinic, "invitation": invitation})


def finish_join_on_confirmation(sender, request, email_address, **kwargs):
    """allauth's email_confirmed: the address is proven, so the join agreed at sign-up is completed here, whatever
    browser the link was opened in. An invitation sent to another address waits for them to sign in and confirm
    (join_continue), as when they join signed in."""
    pending = PendingJoin.objects.select_related("clinic", "invitation").filter(user=email_address.user).first()
    if pending is None:
        return
    user, invitation = email_address.user, pending.invitation
    if invitation is not None and not services.is_addressed_to(invitation, user):
        return
    services.join_clinic(user=user, clinic=pending.clinic, invitation=invitation)
    pending.delete()
    if request is not None:
        request.session.pop(PENDING_JOIN, None)  # the same browser: nothing left to do after signing in
        messages.success(
            request,
            _("You've joined %(clinic)s. Your course is waiting in My learning.") % {"clinic": pending.clinic.name},
        )


@login_required
def join_continue(request):
    pending = request.session.pop(PENDING_JOIN, None)
    request.session.pop(AFTER_LOGIN_SESSION_KEY, None)
    kept = PendingJoin.objects.select_related("clinic", "invitation").filter(user=request.user).first()
    if kept is not None:  # agreed at sign-up, in this browser or another; not completed on confirmation
        kept.delete()
        invitation = kept.invitation
        if invitation is not None and not services.is_addressed_to(invitation, request.user):
            return redirect("clinics:join_invitation", token=services.invitation_token(invitation))
        return _complete_join(request, kept.clinic, invitation)
    if not pending:
        return redirect("dashboard")
    if _joined_already(request.user, pending):
        return redirect("dashboard")  # completed when the address was confirmed (in another browser)
    try:
        if "token" in pending:
            invitation = services.invitation_from_token(pending["token"])
            if not services.is_addressed_to(invitation, request.user):
                # Signed up or in with another address: the invitation page says whom it was for, and asks.
                return redirect("clinics:join_invitation", token=pending["token"])
            return _complete_join(request, invitation.clinic, invitation)
        return _complete_join(request, services.clinic_from_code(pending["code"]), None)
    except services.JoinProblem as problem:
        return render(request, "clinics/join_problem.html", {"problem": problem}, status=410)


def _joined_already(user, pending: dict) -> bool:
    if "code" in pending:
        return FamilyMember.objects.filter(user=user, clinic__join_code=pending["code"]).exists()
    try:  # the invitation is used up by then, so read only which one it was
        pk = signing.loads(pending["token"], salt=services.INVITE_SALT)["i"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    return FamilyMember.objects.filter(user=user, invitation_id=pk).exists()


@login_required
def my_clinics(request):
    memberships = FamilyMember.objects.filter(user=request.user).select_related("clinic").order_by("clinic__name")
    return render(request, "clinics/my_clinics.html", {"memberships": memberships})


@login_required
@require_POST
def leave(request, slug):
    membership = get_object_or_404(FamilyMember.objects.select_related("clinic"), clinic__slug=slug, user=request.user)
    services.leave_clinic(user=request.user, clinic=membership.clinic)
    messages.success(
        request,
        _("You've left %(clinic)s. They can no longer see your progress.") % {"clinic": membership.clinic.name},
    )
    return redirect("clinics:mine")
