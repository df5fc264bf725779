"""Every state change leaves an audit entry: this test reads every public function of the service modules and
follows its calls; each one must reach ``audit.record``, or be listed below as a read, a check or a helper of a
service that records (with the reason). A new service that writes without an entry fails here."""

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_MODULES = ["members.services", "members.life", "members.privacy", "members.retention", "reports.services",
                   *[f"{app}.services.{path.stem}" for app in ("movements", "campaigns")
                     for path in sorted((ROOT / app / "services").glob("*.py")) if path.stem != "__init__"]]

# Public functions that change nothing themselves, each with why.
NOT_WRITES = {
    # Questions asked before a change: may this person, which moves are open, is the window open.
    "award_moves_allowed", "may_decide_award", "may_follow", "may_act_for", "may_review", "registration_may_change",
    "registration_moves_allowed", "may_change_commitment", "initiative_moves_allowed", "is_author",
    "may_move_initiative", "may_move_project", "project_moves_allowed", "checkin_is_open", "require_right",
    "check_actor", "validate_unit_placement", "reaches_age_limit", "notice_pending",
    # Reads and computations.
    "default_outcome", "coming_of_age", "years_after", "as_json", "personal_data", "due_for_pseudonymising",
    "pseudonym", "retention_for", "contact_email", "follow_with_login", "each_reporting_refusals", "today",
    # Row locks taken inside the callers' transactions, which record.
    "locked_campaign", "locked_member", "locked_commitment", "lock_row", "next_document_number",
    # Queue a job whose work records when it is done (the import's counts, each file kept in the archive).
    "member_import_in_background", "export_start", "year_end_report_write_files",
    # Removes files no row names (a killed job's bytes): nothing a person can see changes.
    "orphan_files_remove",
}


def _resolve(module, func):
    """The function a call names, read from the module it is written in: ``name(...)`` (the module's own or an
    imported one) or ``module.name(...)``; a method call on a value resolves to None."""
    if isinstance(func, ast.Name):
        target = getattr(module, func.id, None)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = getattr(module, func.value.id, None)
        target = getattr(owner, func.attr, None) if inspect.ismodule(owner) else None
    else:
        return None
    return f"{target.__module__}.{target.__name__}" if inspect.isfunction(target) else None


def _functions():
    """(full name, the full names of the functions it calls, public?) for every function of the services."""
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        public = getattr(module, "__all__", None)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                calls = {_resolve(module, call.func) for call in ast.walk(node) if isinstance(call, ast.Call)}
                is_public = node.name in public if public is not None else not node.name.startswith("_")
                yield f"{name}.{node.name}", calls - {None}, is_public


def test_every_service_that_changes_something_records_an_audit_entry():
    functions = list(_functions())
    recording = {"members.audit.record"}
    grew = True
    while grew:  # a function that calls one that records, records
        before = len(recording)
        recording |= {name for name, calls, _public in functions if calls & recording}
        grew = len(recording) > before
    public = {name for name, _calls, is_public in functions if is_public}
    assert len(public) > 80  # the walk really read the services
    silent = {name for name in public - recording if name.rpartition(".")[2] not in NOT_WRITES}
    assert sorted(silent) == []
    short_names = [name.rpartition(".")[2] for name in public]
    assert sorted(NOT_WRITES - set(short_names)) == []  # no stale exemption
    assert [name for name in NOT_WRITES if short_names.count(name) > 1] == []  # each exempts one function only
