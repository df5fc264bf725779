"""The people's feedback: the public page behind a poster's QR code, and the unit's pages that read and answer it."""

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.forms import (
    FeedbackAttributeForm,
    FeedbackHideForm,
    FeedbackPointForm,
    FeedbackReplyForm,
    PublicFeedbackForm,
)
from campaigns.models import Feedback, FeedbackPoint, FeedbackState
from config.client_ip import client_ip
from members.access import Action, policy
from members.forms import add_service_errors
from members.models import Unit
from members.selectors import working_unit
from reports.caching import CachedCountPaginator
from reports.charts import bar_chart
from reports.page_cache import kept_for_reader
from reports.renderers import render_pdf

__all__ = ["feedback_attribute", "feedback_detail", "feedback_move", "feedback_public", "feedback_reply",
           "feedback_thanks", "point_create", "point_detail", "point_edit", "point_list", "point_poster",
           "point_set_open"]

STARTED_SALT = "campaigns.feedback.started"
# A form left open longer than this is served again: the time it was served is no longer worth trusting.
FORM_MAX_AGE = 6 * 3600
FEEDBACK_PAGE_SIZE = 20


# The public pages

def _started_token(point: FeedbackPoint) -> str:
    return signing.dumps([point.pk, time.time()], salt=STARTED_SALT)


def _form_refusal(point: FeedbackPoint, started: str) -> str | None:
    """Why a form is refused before anything is checked: sent faster than a person fills it, served too long
    ago, or served for another point. None when it may go on."""
    try:
        point_id, served_at = signing.loads(started, salt=STARTED_SALT, max_age=FORM_MAX_AGE)
        served_at = float(served_at)
    except (signing.BadSignature, TypeError, ValueError):
        return _("The page was open for a long time. Please check your answers and send them again.")
    if point_id != point.pk:
        return _("The page was open for a long time. Please check your answers and send them again.")
    if time.time() - served_at < settings.FEEDBACK_MIN_FILL_SECONDS:
        return _("The form was sent very quickly. Please check your answers and send them again.")
    return None


def _public_point(token) -> FeedbackPoint:
    point = selectors.public_point(token)
    if point is None:
        raise Http404
    return point


# No CSRF token: the page has no session to protect, a phone that refuses cookies must still be able to send, and
# what a forged post could do (send an opinion) anyone may do; the limits, the trap field and the fill time hold.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_public(request, token):
    point = _public_point(token)
    if not point.is_open:
        return render(request, "campaigns/public/feedback_closed.html", {"point": point})
    status, refusal = 200, None
    if request.method == "POST":
        data = request.POST.copy()
        form = PublicFeedbackForm(data, questions=point.active_questions)
        if data.get("homepage"):
            status, refusal = 400, _("Your opinion could not be accepted. Please leave the last field empty.")
        else:
            refusal = _form_refusal(point, data.get("started", ""))
            status = 400 if refusal else 200
        if refusal is None and form.is_valid():
            try:
                services.feedback_submit(point=point, scores=form.scores(), sender_address=client_ip(request),
                                         **{name: form.cleaned_data[name]
                                            for name in ("served_by_name", "comment", "contact")})
            except services.FeedbackRefused as error:
                status, refusal = 429, " ".join(error.messages)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                return redirect("campaigns:feedback_thanks", token=point.token)
        elif refusal is None:
            status = 400
        # What was typed stays; a new time is served so that sending again is not refused for the same reason.
        data["started"] = _started_token(point)
    else:
        form = PublicFeedbackForm(questions=point.active_questions, initial={"started": _started_token(point)})
    return render(request, "campaigns/public/feedback_form.html",
                  {"point": point, "form": form, "refusal": refusal}, status=status)


@require_GET
def feedback_thanks(request, token):
    return render(request, "campaigns/public/feedback_thanks.html", {"point": _public_point(token)})


# The unit's pages

def get_point(user, pk, action: Action = Action.VIEW_FEEDBACK) -> FeedbackPoint:
    try:
        point = FeedbackPoint.objects.select_related("unit", "collective").get(pk=pk)
    except (FeedbackPoint.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, action, point.unit)
    return point


def get_feedback(user, pk, action: Action = Action.VIEW_FEEDBACK) -> Feedback:
    try:
        feedback = Feedback.objects.select_related("point__unit", "member__unit", "replied_by", "hidden_by").get(pk=pk)
    except (Feedback.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, action, feedback.point.unit)
    return feedback


def public_url(point: FeedbackPoint) -> str:
    # The portal's public address, not the one the secretary happened to open: the poster stays up for months.
    return settings.PORTAL_URL.rstrip("/") + reverse("campaigns:feedback_public", args=[point.token])


@login_required
@require_GET
@kept_for_reader
def point_list(request):
    unit = working_unit(request, Action.VIEW_FEEDBACK)
    points = selectors.feedback_points_of_unit(request.user, unit)
    page = CachedCountPaginator(points, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/feedback_point_list.html", {
        "unit": unit, "ancestors": selectors.crumbs(request.user, unit)[:-1], "page": page,
        "waiting": selectors.waiting_feedback(request.user, unit).count(),
        "may_create": policy.units(request.user, Action.MANAGE_FEEDBACK).filter(unit.subtree_q()).exists(),
    })


def _point_form_page(request, form, *, unit, point=None):
    return render(request, "campaigns/feedback_point_form.html", {
        "form": form, "point": point, "unit": unit, "ancestors": selectors.crumbs(request.user, unit)})


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request):
    unit = working_unit(request, Action.VIEW_FEEDBACK)
    units = policy.units(request.user, Action.MANAGE_FEEDBACK).filter(unit.subtree_q())
    if not units.exists():
        raise PermissionDenied(_("Your role does not allow creating feedback points here."))
    # What the people will read is in the portal's first language, whatever language the secretary reads in.
    with translation.override(settings.LANGUAGE_CODE):
        defaults = {"invitation": str(services.DEFAULT_INVITATION),
                    "questions": "\n".join(str(text) for text in services.DEFAULT_QUESTIONS)}
    form = FeedbackPointForm(request.POST or None, units=units,
                             collectives=selectors.feedback_collective_choices(request.user, unit),
                             initial={"unit": unit.pk, **defaults})
    if request.method == "POST" and form.is_valid():
        try:
            point = services.point_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The feedback point was created. Print its poster and put it where people "
                                        "are served."))
            return redirect("campaigns:feedback_point", pk=point.pk)
    return _point_form_page(request, form, unit=unit)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk):
    point = get_point(request.user, pk, Action.MANAGE_FEEDBACK)
    form = FeedbackPointForm(request.POST or None, editing=True, initial={
        "name": point.name, "invitation": point.invitation,
        "questions": "\n".join(question.text for question in point.questions.filter(is_active=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services.point_update(actor=request.user, point=point, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The feedback point was saved."))
            return redirect("campaigns:feedback_point", pk=point.pk)
    return _point_form_page(request, form, unit=point.unit, point=point)


FEEDBACK_FILTERS = {
    "waiting": selectors.WAITING_FEEDBACK,
    "low": selectors.SHOWN_FEEDBACK & Q(average__lte=2),
    "named": selectors.SHOWN_FEEDBACK & Q(member__isnull=False),
    "hidden": ~selectors.SHOWN_FEEDBACK,
}


@login_required
@require_GET
@kept_for_reader
def point_detail(request, pk):
    point = get_point(request.user, pk)
    feedback = selectors.feedback_for(request.user).filter(point=point)
    shown = request.GET.get("show", "")
    listed = feedback.filter(FEEDBACK_FILTERS[shown]) if shown in FEEDBACK_FILTERS else feedback
    page = CachedCountPaginator(listed, FEEDBACK_PAGE_SIZE).get_page(request.GET.get("page"))
    trend = selectors.monthly_trend(feedback)
    url = public_url(point)
    return render(request, "campaigns/feedback_point_detail.html", {
        "point": point, "ancestors": selectors.crumbs(request.user, point.unit), "page": page, "shown": shown,
        "filters": [("", _("All")), ("waiting", _("Waiting for an answer")), ("low", _("Rated 2 or less")),
                    ("named", _("Naming a member")), ("hidden", _("Hidden"))],
        "summary": selectors.feedback_summary(feedback), "questions": selectors.question_averages(feedback),
        "trend": trend, "trend_chart": bar_chart(_("Opinions received by month"),
                                                 [(row["month"].strftime("%m/%Y"), row["count"]) for row in trend]),
        # segno draws the modules as one path and writes no text of the URL into the SVG.
        "public_url": url, "qr": mark_safe(segno.make(url, error="m").svg_inline(  # nosec B308 B703
            scale=4, border=2, omitsize=True)),
        "active_questions": point.questions.filter(is_active=True),
        "may_manage": policy.can(request.user, Action.MANAGE_FEEDBACK, point.unit),
        "timeline": selectors.timeline(request.user, point),
    })


@login_required
@require_POST
def point_set_open(request, pk, state):
    point = get_point(request.user, pk, Action.MANAGE_FEEDBACK)
    if state not in ("open", "close"):
        raise Http404
    try:
        services.point_set_open(actor=request.user, point=point, is_open=state == "open")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The point receives feedback again.") if state == "open"
                         else _("The point no longer receives feedback; what it received is kept."))
    return redirect("campaigns:feedback_point", pk=point.pk)


@login_required
@require_GET
def point_poster(request, pk):
    point = get_point(request.user, pk)
    url = public_url(point)
    pdf = render_pdf("campaigns/pdf/feedback_poster.html", {
        "point": point, "url": url, "parent": Unit.objects.get_parent(point.unit) if point.unit.depth > 1 else None,
        # segno's SVG, as on the point's page: no text of the URL in it.
        "qr": mark_safe(segno.make(url, error="m").svg_inline(  # nosec B308 B703
            scale=10, border=0, omitsize=True))})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{point.token}.pdf"'
    return response


def _feedback_page(request, feedback, *, reply_form=None, hide_form=None, attribute_form=None, status=200):
    may_manage = policy.can(request.user, Action.MANAGE_FEEDBACK, feedback.point.unit)
    context = {"feedback": feedback, "point": feedback.point, "may_manage": may_manage,
               "ancestors": selectors.crumbs(request.user, feedback.point.unit),
               "ratings": feedback.ratings.select_related("question"),
               "mail_reply": bool(services.contact_email(feedback.contact)),
               "timeline": selectors.timeline(request.user, feedback)}
    if may_manage:
        context.update({
            "reply_form": reply_form or (FeedbackReplyForm() if not feedback.replied_at
                                         and feedback.state == FeedbackState.SHOWN else None),
            "hide_form": hide_form or (FeedbackHideForm() if feedback.state == FeedbackState.SHOWN else None),
            "attribute_form": attribute_form or FeedbackAttributeForm(
                members=selectors.feedback_member_choices(request.user, feedback.point),
                initial={"member": feedback.member_id}),
        })
    return render(request, "campaigns/feedback_detail.html", context, status=status)


@login_required
@require_GET
def feedback_detail(request, pk):
    return _feedback_page(request, get_feedback(request.user, pk))


@login_required
@require_POST
def feedback_reply(request, pk):
    feedback = get_feedback(request.user, pk, Action.MANAGE_FEEDBACK)
    form = FeedbackReplyForm(request.POST)
    if form.is_valid():
        try:
            feedback = services.feedback_reply(actor=request.user, feedback=feedback, text=form.cleaned_data["reply"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            feedback.refresh_from_db(fields=["reply_mailed"])  # set once the mail server took the answer
            messages.success(request, _("The answer was sent by mail.") if feedback.reply_mailed
                             else _("The answer was recorded."))
            return redirect("campaigns:feedback", pk=feedback.pk)
    return _feedback_page(request, feedback, reply_form=form, status=400)


@login_required
@require_POST
def feedback_move(request, pk, name):
    feedback = get_feedback(request.user, pk, Action.MANAGE_FEEDBACK)
    if name not in services.FEEDBACK_MOVES:
        raise Http404
    form = FeedbackHideForm(request.POST) if name == "hide" else None
    if form is not None and not form.is_valid():
        return _feedback_page(request, feedback, hide_form=form, status=400)
    try:
        services.feedback_move(actor=request.user, feedback=feedback, name=name,
                               reason=form.cleaned_data["reason"] if form else "")
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return _feedback_page(request, feedback, hide_form=form, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The opinion is hidden; it is kept with the reason.") if name == "hide"
                         else _("The opinion is shown again."))
    return redirect("campaigns:feedback", pk=feedback.pk)


@login_required
@require_POST
def feedback_attribute(request, pk):
    feedback = get_feedback(request.user, pk, Action.MANAGE_FEEDBACK)
    form = FeedbackAttributeForm(request.POST, members=selectors.feedback_member_choices(request.user,
                                                                                       feedback.point))
    if form.is_valid():
        try:
            services.feedback_attribute(actor=request.user, feedback=feedback, member=form.cleaned_data["member"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The opinion was attributed."))
            return redirect("campaigns:feedback", pk=feedback.pk)
    return _feedback_page(request, feedback, attribute_form=form, status=400)
