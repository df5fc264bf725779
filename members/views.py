import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.selectors import awards_of_member
from config.middleware import PrivacyNoticeMiddleware
from config.redirects import local_path
from config.streaming import stream_rows
from members import access_log, life, notifications, privacy, retention, services
from members.access import Action, policy
from members.activation import activation_sheet_pdf, mail_activation_links
from members.audit import entries_for
from members.filters import MemberFilter
from members.forms import (
    AdmitForm,
    CloseForm,
    ConsentForm,
    ImportForm,
    MatureForm,
    MemberForm,
    NoticeForm,
    OptionalReasonForm,
    ProfileForm,
    ReasonForm,
    TransferForm,
    UnitSwitchForm,
    add_service_errors,
    posted_keys,
)
from members.imports import manageable_branches, member_rows, read_member_workbook, write_workbook
from members.models import AccessKind, MemberStatus, Unit, UnitKind
from members.selectors import (
    SESSION_UNIT_KEY,
    admission_units,
    child_units_with_counts,
    own_import_job,
    own_member_record,
    unit_figures,
    visible_ancestors,
    working_unit,
)
from reports.caching import CachedCountPaginator
from reports.models import YearEndReport
from reports.page_cache import kept_for_reader
from reports.renderers import XLSX_CONTENT_TYPE, render_pdf, write_xlsx


@login_required
@require_GET
@kept_for_reader
def member_list(request):
    unit = working_unit(request, Action.VIEW_MEMBERS)
    members = policy.members(request.user, Action.VIEW_MEMBERS).filter(unit.subtree_q("unit__path"))
    member_filter = MemberFilter(request.GET, queryset=members.select_related("unit"), request=request)
    paginator = CachedCountPaginator(member_filter.qs, settings.MEMBER_LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": member_filter,
        "page": page,
        "query": query.urlencode(),
        "unit": unit,
        "ancestors": visible_ancestors(request.user, unit),
        "may_manage": policy.can(request.user, Action.MANAGE_MEMBERS, unit),
    }
    # A history restore (back button after a search) wants the whole page, not the fragment.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "members/includes/member_results.html" if partial else "members/member_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def member_detail(request, pk):
    member = policy.get_member(request.user, Action.VIEW_MEMBERS, pk)
    access_log.record_view(request.user, member, AccessKind.PROFILE)
    history = entries_for(policy.audit_entries(request.user), member)[:50]
    return render(request, "members/member_detail.html", {
        "member": member,
        "ancestors": visible_ancestors(request.user, member.unit),
        "history": history,
        "may_manage": policy.can(request.user, Action.MANAGE_MEMBERS, member.unit),
        "award_history": awards_of_member(member),
        "may_propose_award": policy.can(request.user, Action.MANAGE_AWARDS, member.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    unit = working_unit(request, Action.MANAGE_MEMBERS)
    form = MemberForm(request.POST or None, user=request.user,
                      initial={"unit": unit.pk} if unit.kind == UnitKind.BRANCH else None)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "unit"}
        try:
            member = services.member_create(actor=request.user, unit=form.cleaned_data["unit"], **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {
        "form": form, "member": member, "ancestors": visible_ancestors(request.user, member.unit),
    })


def _member_status_view(request, pk, *, deactivate: bool):
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    form_class = ReasonForm if deactivate else OptionalReasonForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.member_deactivate if deactivate else services.member_reactivate
        try:
            service(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = _("%(name)s was deactivated.") if deactivate else _("%(name)s was reactivated.")
            messages.success(request, done % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_status.html", {
        "form": form, "member": member, "deactivate": deactivate,
        "ancestors": visible_ancestors(request.user, member.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_deactivate(request, pk):
    return _member_status_view(request, pk, deactivate=True)


@login_required
@require_http_methods(["GET", "POST"])
def member_reactivate(request, pk):
    return _member_status_view(request, pk, deactivate=False)


@login_required
@require_http_methods(["GET", "POST"])
def member_admit(request, pk):
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    units = admission_units(member)
    form = AdmitForm(request.POST or None, units=units, initial={
        "admitted_on": timezone.localdate(), "deciding_unit": units.exclude(kind=UnitKind.BRANCH).last()})
    if request.method == "POST" and form.is_valid():
        try:
            life.member_admit(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now a union member.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_life.html", {
        "form": form, "member": member, "heading": _("Admit to the union"),
        "ancestors": visible_ancestors(request.user, member.unit)})


@login_required
@require_http_methods(["GET", "POST"])
def member_close(request, pk):
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            life.member_close(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s's record is closed; it stays in the unit's history.")
                             % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_life.html", {
        "form": form, "member": member, "heading": _("Close the record"),
        "ancestors": visible_ancestors(request.user, member.unit)})


@login_required
@require_GET
def member_transfer_note(request, pk):
    """The note a member who moves to a union outside the portal takes with them (giấy giới thiệu sinh hoạt)."""
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    if member.status != MemberStatus.MOVED_OUT:
        raise Http404
    access_log.record_export(request.user, member.unit, _("Transfer note"), member=member)
    parent = Unit.objects.get_parent(member.unit) if member.unit.depth > 1 else None
    pdf = render_pdf("members/pdf/transfer_note.html", {
        "member": member, "unit": member.unit, "parent": parent, "today": timezone.localdate(),
        "place": YearEndReport._meta.get_field("place").default})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gioi-thieu-sinh-hoat-{member.pk}.pdf"'
    return response


COMING_OF_AGE_PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
@kept_for_reader
def coming_of_age_list(request):
    """Members who are 30 or turn 30 this year, for the secretary to mark as come of age, together."""
    unit = working_unit(request, Action.VIEW_MEMBERS)
    year = timezone.localdate().year
    members = life.coming_of_age(request.user, unit, year)
    may_manage = policy.can(request.user, Action.MANAGE_MEMBERS, unit)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = MatureForm(request.POST if request.method == "POST" else None, members=members,
                      initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            done = life.members_mature(actor=request.user, members=form.cleaned_data["members"],
                                       closed_on=form.cleaned_data["closed_on"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("%(count)d members marked as come of age.") % {"count": len(done)})
            return redirect("members:coming_of_age")
    # A page at a time: at the top of a metro union thousands of members turn 30 in a year.
    page = CachedCountPaginator(members, COMING_OF_AGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/coming_of_age.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "year": year, "form": form,
        "page": page, "query": "", "may_manage": may_manage, "age": life.UNION_AGE_LIMIT})


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, pk):
    member = policy.get_member(request.user, Action.MANAGE_MEMBERS, pk)
    form = TransferForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(actor=request.user, member=member, to_unit=form.cleaned_data["to_unit"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s now belongs to %(unit)s.")
                             % {"name": member, "unit": form.cleaned_data["to_unit"]})
            if policy.may_on_member(request.user, Action.VIEW_MEMBERS, member):
                return redirect("members:detail", pk=member.pk)
            return redirect("members:list")
    return render(request, "members/member_transfer.html", {
        "form": form, "member": member, "ancestors": visible_ancestors(request.user, member.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    member = own_member_record(request.user)
    if member is None:
        # Some accounts (site administrators, committee members listed elsewhere) have no member record.
        return render(request, "members/profile.html", {"member": None})
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("members:profile")
    return render(request, "members/profile.html", {"member": member, "form": form,
                                                    "award_history": awards_of_member(member)})


@login_required
@require_GET
@kept_for_reader
def unit_detail(request, pk):
    unit = policy.get_unit(request.user, Action.VIEW_UNIT, pk)
    may_view_members = policy.can(request.user, Action.VIEW_MEMBERS, unit)
    return render(request, "members/unit_detail.html", {
        "unit": unit,
        "ancestors": visible_ancestors(request.user, unit),
        "children": child_units_with_counts(request.user, unit),
        "figures": unit_figures(request.user, unit) if may_view_members else None,
        "may_view_members": may_view_members,
        "retention_years": retention.retention_for(unit) if may_view_members else None,
        "may_set_retention": policy.held_units(request.user, Action.MANAGE_YEAR).filter(pk=unit.pk).exists(),
    })


@login_required
@require_POST
def unit_retention(request, pk):
    unit = policy.get_unit(request.user, Action.VIEW_UNIT, pk)
    raw = request.POST.get("retention_years", "").strip()
    try:
        years = int(raw) if raw else None
        retention.unit_set_retention(actor=request.user, unit=unit, years=years)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [])) or _("Enter a number of years."))
    else:
        messages.success(request, _("The retention period was saved."))
    return redirect("members:unit", pk=unit.pk)


@login_required
@require_POST
def unit_switch(request):
    form = UnitSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    unit = policy.get_unit(request.user, Action.VIEW_UNIT, form.cleaned_data["unit"])
    request.session[SESSION_UNIT_KEY] = unit.pk
    messages.info(request, _("You are now working in %(unit)s.") % {"unit": unit})
    return redirect(local_path(request, request.POST.get("next")) or reverse("home"))


@login_required
@require_GET
def audit_list(request):
    unit = working_unit(request, Action.VIEW_AUDIT)
    entries = policy.audit_entries(request.user).filter(unit.subtree_q("unit__path")).select_related("unit")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "members/audit_list.html", {
        "page": page, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


ACCESS_FILTERS = {"export": AccessKind.EXPORT, "views": None}


@login_required
@require_GET
def access_log_list(request):
    """Who took personal data out of the unit's subtree (the default), or who opened whose records."""
    unit = working_unit(request, Action.VIEW_AUDIT)
    shown = request.GET.get("show") if request.GET.get("show") in ACCESS_FILTERS else "export"
    entries = access_log.access_entries(request.user).filter(unit.subtree_q("unit__path"))
    entries = entries.filter(kind=AccessKind.EXPORT) if shown == "export" else entries.exclude(kind=AccessKind.EXPORT)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "members/access_log.html", {
        "page": page, "unit": unit, "ancestors": visible_ancestors(request.user, unit), "shown": shown,
        "query": f"show={shown}",
    })


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    """A person's own notifications; opening the page marks nothing, the button marks all as read."""
    if request.method == "POST":
        notifications.mark_all_read(request.user)
        return redirect("members:notifications")
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "members/notification_list.html", {"page": page})


IMPORT_SESSION_KEY = "member_import"


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request):
    """Upload a workbook and see what it would do; nothing is written before the confirmation."""
    unit = working_unit(request, Action.MANAGE_MEMBERS)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        branches = manageable_branches(request.user)
        default = unit if unit.kind == UnitKind.BRANCH else None
        try:
            plan = read_member_workbook(upload, branches=branches, default_unit=default)
        except ValidationError as error:
            form.add_error("workbook", error)
        else:
            upload.seek(0)
            stored = default_storage.save(f"imports/{uuid.uuid4().hex}.xlsx", upload)
            rows = len(plan.to_add) + len(plan.to_update) + plan.unchanged + len(plan.refused)
            request.session[IMPORT_SESSION_KEY] = {"path": stored, "unit": unit.pk, "rows": rows}
    return render(request, "members/member_import.html", {
        "form": form, "plan": plan, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_POST
def member_import_confirm(request):
    unit = working_unit(request, Action.MANAGE_MEMBERS)
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if not pending or pending.get("unit") != unit.pk or not default_storage.exists(pending["path"]):
        messages.error(request, _("The uploaded list has expired; upload it again."))
        return redirect("members:import")
    if pending.get("rows", 0) > settings.MEMBER_IMPORT_BACKGROUND_ROWS:
        job = services.member_import_in_background(actor=request.user, unit=unit, path=pending["path"],
                                                   rows=pending["rows"])
        return redirect("members:import_job", pk=job.pk)
    try:
        with default_storage.open(pending["path"], "rb") as stored:
            plan = read_member_workbook(stored, branches=manageable_branches(request.user),
                                        default_unit=unit if unit.kind == UnitKind.BRANCH else None)
        counts = services.member_import(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:import")
    finally:
        default_storage.delete(pending["path"])
    messages.success(request, _("Import done: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.")
                     % counts)
    return redirect("members:list")


@login_required
@require_GET
def member_import_template(request):
    working_unit(request, Action.MANAGE_MEMBERS)
    return _workbook_response("mau-danh-sach-doan-vien.xlsx", [], _("Members"))


@login_required
@require_GET
def member_export(request):
    """The member list as filtered on the page, in the columns the import reads."""
    unit = working_unit(request, Action.VIEW_MEMBERS)
    members = policy.members(request.user, Action.VIEW_MEMBERS).filter(unit.subtree_q("unit__path"))
    member_filter = MemberFilter(request.GET, queryset=members.select_related("unit"), request=request)
    filters = ", ".join(f"{name}: {value}" for name, value in request.GET.items() if value and name != "page")
    access_log.record_export(request.user, unit, _("Member list (Excel) %(filters)s") % {"filters": filters})
    return _workbook_response(f"doan-vien-{unit.code}.xlsx", member_rows(stream_rows(member_filter.qs)),
                              _("Members"))


def _workbook_response(filename: str, rows, title: str) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, rows, title=str(title))
    response = HttpResponse(buffer.getvalue(),
                            content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request):
    """Open accounts for members who have none: links by mail, or a printed sheet of QR codes to hand out."""
    unit = working_unit(request, Action.MANAGE_MEMBERS)
    members = (policy.members(request.user, Action.MANAGE_MEMBERS)
               .filter(unit.subtree_q("unit__path"), status="active").select_related("unit", "user"))
    # "!" starts Django's unusable password: an account opened and never activated.
    waiting = members.filter(Q(user__isnull=True) | Q(user__last_login__isnull=True,
                                                      user__password__startswith="!"))  # nosec B106
    if request.method == "POST":
        chosen = list(waiting.filter(pk__in=posted_keys(request, "member")))
        if not chosen:
            messages.info(request, _("Tick the members first."))
            return redirect("members:invite")
        services.member_invite(actor=request.user, members=[m for m in chosen if m.user_id is None])
        chosen = list(members.filter(pk__in=[m.pk for m in chosen]))
        if request.POST.get("send") == "sheet":
            pdf = activation_sheet_pdf(chosen, unit=unit)
            access_log.record_export(request.user, unit, _("Account activation sheet, %(count)d members")
                                     % {"count": len(chosen)})
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="kich-hoat-tai-khoan-{unit.code}.pdf"'
            return response
        sent = mail_activation_links(chosen)
        messages.success(request, _("%(sent)d activation links were mailed; %(without)d members have no address: "
                                    "print their sheet.") % {"sent": sent, "without": len(chosen) - sent})
        return redirect("members:invite")
    return render(request, "members/member_invite.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "waiting": waiting,
    })


@login_required
@require_GET
def member_import_job(request, pk):
    """The progress of a long import; the page asks again every two seconds until it is done."""
    job = own_import_job(request.user, pk)
    if job is None:
        raise Http404
    template = "members/includes/import_progress.html" if request.htmx else "members/member_import_job.html"
    return render(request, template, {"job": job, "unit": job.unit})


# Personal data: the notice, the consents, "My data"

@login_required
@require_http_methods(["GET", "POST"])
def privacy_notice(request):
    member = own_member_record(request.user)
    next_url = local_path(request, request.POST.get("next") or request.GET.get("next")) or ""
    if member is None:
        return redirect(next_url or "home")
    # An empty post is an answer too (nothing ticked), so the form is bound on every POST.
    form = NoticeForm(request.POST if request.method == "POST" else None, initial={
        "public_display": member.consents_to_public_display, "feedback_naming": member.consents_to_feedback_naming})
    if request.method == "POST" and form.is_valid():
        privacy.notice_accept(actor=request.user, member=member, public_display=form.cleaned_data["public_display"],
                              feedback_naming=form.cleaned_data["feedback_naming"])
        request.session[PrivacyNoticeMiddleware.SESSION_KEY] = True
        messages.success(request, _("Thank you. You can see and download what the portal holds about you in "
                                    "“My data”, and change your consents there at any time."))
        return redirect(next_url or "home")
    return render(request, "members/privacy_notice.html", {"member": member, "form": form, "next": next_url})


def _own_member_or_404(user):
    member = own_member_record(user)
    if member is None:
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    member = own_member_record(request.user)
    if member is None:
        return render(request, "members/my_data.html", {"member": None})
    form = ConsentForm(request.POST if request.method == "POST" else None, initial={
        "public_display": member.consents_to_public_display, "feedback_naming": member.consents_to_feedback_naming})
    if request.method == "POST" and form.is_valid():
        privacy.consents_update(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Your consents were saved; they apply at once."))
        return redirect("members:my_data")
    return render(request, "members/my_data.html", {
        "member": member, "form": form, "sections": privacy.personal_data(member),
        "looked_at": access_log.views_of(member)[:50]})


@login_required
@require_GET
def my_data_download(request, extension):
    if extension not in ("json", "xlsx"):
        raise Http404
    member = _own_member_or_404(request.user)
    sections = privacy.personal_data(member)
    filename = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.{extension}"
    if extension == "json":
        response = JsonResponse(privacy.as_json(member, sections), json_dumps_params={"ensure_ascii": False,
                                                                                      "indent": 1})
    else:
        output = io.BytesIO()
        write_xlsx(privacy.PersonalDataExport(sections), output)
        response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
