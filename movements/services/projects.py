"""Youth projects: proposed by a branch or union, decided by the committee above, reported on, accepted.

The moves of a project are one table, ``PROJECT_TRANSITIONS``; each locks the row, checks the state and the
actor's right, saves, records the audit entry, and otherwise changes nothing.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Unit
from movements.models import ProjectPhoto, ProjectReport, ProjectState, YouthProject
from movements.services.base import today
from movements.uploads import recognise_image, removed_on_failure

PROJECT_PROPOSED = audit.register_action("project.proposed", gettext_lazy("Youth project proposed"))
PROJECT_APPROVED = audit.register_action("project.approved", gettext_lazy("Youth project approved"))
PROJECT_REJECTED = audit.register_action("project.rejected", gettext_lazy("Youth project rejected"))
PROJECT_STARTED = audit.register_action("project.started", gettext_lazy("Youth project started"))
PROJECT_REPORTED = audit.register_action("project.reported", gettext_lazy("Progress reported"))
PROJECT_COMPLETED = audit.register_action("project.completed", gettext_lazy("Youth project completed"))
PROJECT_ACCEPTED = audit.register_action("project.accepted", gettext_lazy("Youth project accepted"))
PROJECT_SENT_BACK = audit.register_action("project.sent_back", gettext_lazy("Youth project sent back"))

PROJECT_FIELDS = (
    "year", "kind", "title", "goal", "place", "starts_on", "ends_on", "budget", "budget_sources",
    "promised_beneficiaries", "promised_volunteer_hours", "promised_value",
)
FINAL_FIGURES = ("final_beneficiaries", "final_volunteer_hours", "final_value", "final_volunteers")

OWNER_UNIT = "owner"  # the officers of the project's own unit
COMMITTEE_ABOVE = "above"  # the committee of a unit above it


@dataclass(frozen=True)
class ProjectMove:
    sources: frozenset[str]
    target: str
    audit_action: str
    by: str
    needs_note: bool = False


P = ProjectState
PROJECT_TRANSITIONS = {
    "approve": ProjectMove(frozenset({P.PROPOSED}), P.APPROVED, PROJECT_APPROVED, COMMITTEE_ABOVE),
    "reject": ProjectMove(frozenset({P.PROPOSED}), P.REJECTED, PROJECT_REJECTED, COMMITTEE_ABOVE, needs_note=True),
    "start": ProjectMove(frozenset({P.APPROVED}), P.IN_PROGRESS, PROJECT_STARTED, OWNER_UNIT),
    "complete": ProjectMove(frozenset({P.IN_PROGRESS}), P.COMPLETED, PROJECT_COMPLETED, OWNER_UNIT),
    "accept": ProjectMove(frozenset({P.COMPLETED}), P.ACCEPTED, PROJECT_ACCEPTED, COMMITTEE_ABOVE),
    "send_back": ProjectMove(frozenset({P.COMPLETED}), P.IN_PROGRESS, PROJECT_SENT_BACK, COMMITTEE_ABOVE,
                             needs_note=True),
}


def may_move_project(user, project: YouthProject, move: ProjectMove) -> bool:
    if move.by == OWNER_UNIT:
        return policy.can(user, Action.MANAGE_PROJECTS, project.unit)
    return policy.can_above(user, Action.DECIDE_PROJECTS, project.unit)


def project_moves_allowed(user, project: YouthProject) -> list[str]:
    """The moves this user may make on the project now: what its page offers."""
    return [name for name, move in PROJECT_TRANSITIONS.items()
            if project.state in move.sources and may_move_project(user, project, move)]


def project_propose(*, actor, unit: Unit, members=(), **fields) -> YouthProject:
    if not policy.can(actor, Action.MANAGE_PROJECTS, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can propose its projects.") % {"unit": unit})
    project = YouthProject(unit=unit, **{name: fields[name] for name in PROJECT_FIELDS if name in fields})
    project.full_clean()
    with transaction.atomic():
        project.save()
        project.members.set(members)
        audit.record(action=PROJECT_PROPOSED, actor=actor, unit=unit, target=project,
                     after=audit.snapshot(project, ("title", "kind", "year", "budget")))
    return project


def _locked(project: YouthProject) -> YouthProject:
    return YouthProject.objects.select_for_update(of=("self",)).select_related("unit").get(pk=project.pk)


def project_move(*, actor, project: YouthProject, name: str, note: str = "", figures: dict | None = None) -> YouthProject:
    move = PROJECT_TRANSITIONS[name]
    if move.needs_note and not note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    with transaction.atomic():
        project = _locked(project)
        if not may_move_project(actor, project, move):
            raise PermissionDenied(_("Your role does not allow this on %(project)s.") % {"project": project})
        if project.state not in move.sources:
            raise ValidationError(_("This project is “%(state)s”; that is not possible now.")
                                  % {"state": project.get_state_display()})
        previous = project.state
        if name == "accept":
            figures = figures or {}
            missing = [field for field in FINAL_FIGURES if figures.get(field) is None]
            if missing:
                raise ValidationError({field: _("Give the final figure.") for field in missing})
            for field in FINAL_FIGURES:
                setattr(project, field, figures[field])
        project.state = move.target
        if move.by == COMMITTEE_ABOVE:
            project.decision_note = note.strip()
        project.full_clean()
        project.save()
        after = {"state": move.target, **({field: str(figures[field]) for field in FINAL_FIGURES}
                                          if name == "accept" else {})}
        audit.record(action=move.audit_action, actor=actor, unit=project.unit, target=project,
                     before={"state": previous}, after=after, note=note.strip())
    return project


def project_report(*, actor, project: YouthProject, reported_on, text: str, beneficiaries: int = 0,
                   volunteer_hours: int = 0, value=0, photos=()) -> ProjectReport:
    """The project's unit reports what was done, with figures and photos, while it is in progress."""
    kinds = [recognise_image(upload) for upload in photos]
    with removed_on_failure() as written, transaction.atomic():
        project = _locked(project)
        if not policy.can(actor, Action.MANAGE_PROJECTS, project.unit):
            raise PermissionDenied(_("Only the officers of %(unit)s report on its projects.")
                                   % {"unit": project.unit})
        if project.state != ProjectState.IN_PROGRESS:
            raise ValidationError(_("Progress is reported while the project is in progress."))
        if reported_on > today():
            raise ValidationError({"reported_on": _("The date cannot be in the future.")})
        report = ProjectReport(project=project, reported_on=reported_on, text=text, beneficiaries=beneficiaries,
                               volunteer_hours=volunteer_hours, value=value, created_by=actor)
        report.full_clean()
        report.save()
        for upload, kind in zip(photos, kinds, strict=True):
            photo = ProjectPhoto(report=report, stored_name=f"{uuid.uuid4().hex}.{kind.extension}",
                                 original_name=upload.name[:200], content_type=kind.content_type,
                                 size=upload.size)
            photo.file.save(photo.stored_name, upload, save=False)
            written.append(photo)
            photo.save()
        audit.record(action=PROJECT_REPORTED, actor=actor, unit=project.unit, target=project,
                     after={"beneficiaries": beneficiaries, "volunteer_hours": volunteer_hours,
                            "value": str(value), "photos": len(written)}, note=text[:200])
    return report
