"""The history a person reads names every change in words: each key the services write into an entry's before
and after is a field of the record or has a label."""



from members import audit
from members.models import AuditEntry, Member
from tests.conftest import client_for, seed_demo


def test_every_key_of_every_entry_the_demo_writes_has_a_label(db):
    seed_demo()
    unlabelled = set()
    for entry in AuditEntry.objects.select_related("target_type"):
        model = entry.target_type.model_class() if entry.target_type_id else None
        for name in [*(entry.before or {}), *(entry.after or {})]:
            if audit.key_label(model, name)[1] is None:
                unlabelled.add((entry.action, name))
    assert AuditEntry.objects.values("action").distinct().count() > 20
    assert unlabelled == set()


def test_dates_and_times_in_an_entry_read_in_the_portals_form(member_user):
    from members import privacy

    member = Member.objects.get(user=member_user)
    privacy.notice_accept(actor=member_user, member=member, public_display=True, feedback_naming=False)
    entry = AuditEntry.objects.get(action="privacy.notice_accepted")
    accepted = [change for change in audit.changes(entry) if "/" in str(change.after)]
    assert accepted and "T" not in str(accepted[0].after) and "+" not in str(accepted[0].after)
    assert client_for(member_user).get("/me/data/").status_code == 200
