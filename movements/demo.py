"""A demo movement year in its evidence period, with commitments in every state. Safe to run again."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from members.models import Member, MemberStatus, Unit
from movements.models import (
    Classification,
    Commitment,
    CommitmentState,
    Criterion,
    Evidence,
    EvidenceState,
    MovementYear,
    Pledge,
    TargetKind,
    YearState,
)
from movements.services import year_open

# Pledges a member might write under each criterion: (text, kind, value, unit).
PLEDGE_TEXTS = {
    "work": [
        ("Hoàn thành đúng hạn 100% công việc được giao", TargetKind.NUMBER, 100, "%"),
        ("Đề xuất 01 cải tiến quy trình tiếp nhận người bệnh", TargetKind.NUMBER, 1, "cải tiến"),
        ("Tham gia đầy đủ sinh hoạt chi đoàn hằng tháng", TargetKind.NUMBER, 12, "buổi"),
    ],
    "people": [
        ("Không để người bệnh phàn nàn về thái độ phục vụ", TargetKind.DONE, None, ""),
        ("Trực bàn hướng dẫn thanh niên mỗi tháng", TargetKind.NUMBER, 4, "buổi"),
    ],
    "self": [
        ("Hoàn thành khóa tiếng Anh B1", TargetKind.DONE, None, ""),
        ("Tham gia 02 lớp cập nhật kiến thức chuyên môn", TargetKind.NUMBER, 2, "lớp"),
    ],
}
STATE_SPREAD = [CommitmentState.APPROVED] * 5 + [CommitmentState.SUBMITTED] * 3 + [
    CommitmentState.RETURNED, CommitmentState.DRAFT, None, None]


def _members_of_the_hospital():
    return (Member.objects.filter(unit__path__startswith=Unit.objects.get(code="bvndgd").path,
                                  status=MemberStatus.ACTIVE)
            .exclude(user__username="doanvien").select_related("unit").order_by("pk"))


def _pledges_for(rng, commitment, criteria, due_date, *, evidence_until: datetime.date | None,
                 settled: bool = False):
    for responsibility, texts in PLEDGE_TEXTS.items():
        choices = [c for c in criteria if c.responsibility == responsibility
                   and c.applies_to_sector(commitment.member.unit.sector)]
        text, kind, value, target_unit = rng.choice(texts)
        pledge = Pledge.objects.create(commitment=commitment, criterion=rng.choice(choices), text=text,
                                       target_kind=kind, target_value=value, target_unit=target_unit,
                                       due_date=due_date)
        if evidence_until is not None:
            _demo_evidence(rng, pledge, evidence_until, settled=settled)


def load_last_year(*, admin, unit: Unit, today: datetime.date) -> MovementYear:
    """Last year, closed, every commitment evaluated and its classification confirmed."""
    last = today.year - 1
    movement_year = year_open(
        actor=admin, unit=unit, year=last,
        registration_opens=datetime.date(last, 1, 1), registration_closes=datetime.date(last, 3, 31),
        evidence_opens=datetime.date(last, 2, 1), evidence_closes=datetime.date(last, 11, 30),
        evaluation_opens=datetime.date(last, 12, 1), evaluation_closes=datetime.date(last, 12, 20),
    )
    criteria = list(Criterion.objects.filter(movement_year=movement_year))
    # Demo data, seeded to come out the same every time.
    rng = random.Random(2)  # nosec B311
    levels = [Classification.EXCELLENT] + [Classification.GOOD] * 5 + [Classification.COMPLETE] * 3 + [
        Classification.INCOMPLETE]
    now = timezone.now()
    for index, member in enumerate(_members_of_the_hospital()):
        level = levels[index % len(levels)]
        commitment = Commitment.objects.create(
            member=member, movement_year=movement_year, state=CommitmentState.CONFIRMED, submitted_at=now,
            self_classification=level, proposed_classification=level, classification=level, confirmed_at=now,
            evaluation_comment="Hoàn thành các cam kết đã đăng ký." if level != Classification.INCOMPLETE
            else "Chưa hoàn thành phần lớn cam kết.",
        )
        _pledges_for(rng, commitment, criteria, datetime.date(last, 11, 15),
                     evidence_until=datetime.date(last, 11, 30), settled=True)
    MovementYear.objects.filter(pk=movement_year.pk).update(state=YearState.CLOSED)
    return movement_year


@transaction.atomic
def load_demo_year(*, today: datetime.date | None = None) -> MovementYear | None:
    today = today or timezone.localdate()
    unit = Unit.objects.filter(code="doan-so-y-te").first()
    if unit is None or MovementYear.objects.filter(unit=unit, year=today.year).exists():
        return None
    from django.contrib.auth import get_user_model

    committee = get_user_model().objects.get(username="admin")
    load_last_year(admin=committee, unit=unit, today=today)
    movement_year = year_open(
        actor=committee, unit=unit, year=today.year,
        registration_opens=datetime.date(today.year, 1, 1), registration_closes=today + datetime.timedelta(days=30),
        evidence_opens=datetime.date(today.year, 1, 1), evidence_closes=today + datetime.timedelta(days=30),
        evaluation_opens=today + datetime.timedelta(days=31), evaluation_closes=today + datetime.timedelta(days=50),
    )
    MovementYear.objects.filter(pk=movement_year.pk).update(state=YearState.OPEN)
    criteria = list(Criterion.objects.filter(movement_year=movement_year))
    # Demo data, seeded to come out the same every time.
    rng = random.Random(3)  # nosec B311
    now = timezone.now()
    for index, member in enumerate(_members_of_the_hospital()):
        state = STATE_SPREAD[index % len(STATE_SPREAD)]
        if state is None:
            continue
        commitment = Commitment.objects.create(
            member=member, movement_year=movement_year, state=state,
            submitted_at=now if state != CommitmentState.DRAFT else None,
            review_comment="Cam kết trách nhiệm với nhân dân cần chỉ tiêu cụ thể hơn."
            if state == CommitmentState.RETURNED else "",
        )
        _pledges_for(rng, commitment, criteria, datetime.date(today.year, 12, 15),
                     evidence_until=today if state == CommitmentState.APPROVED else None)
    load_demo_projects(today=today)
    load_demo_solutions(today=today)
    return movement_year


def _demo_evidence(rng: random.Random, pledge: Pledge, today: datetime.date, *, settled: bool) -> None:
    """A few entries per approved pledge, up to ``today``: mostly verified, some waiting (unless the year is
    settled), the odd one rejected."""
    states = [EvidenceState.VERIFIED] * 3 + [EvidenceState.REJECTED] + ([] if settled else [EvidenceState.PENDING])
    for months_ago in range(rng.randint(0 if not settled else 1, 3), 0, -1):
        state = rng.choice(states)
        value = None
        if pledge.target_kind == TargetKind.NUMBER:
            value = max(1, int(pledge.target_value / 4)) if pledge.target_value > 1 else 1
        Evidence.objects.create(
            pledge=pledge, done_on=today - datetime.timedelta(days=30 * months_ago), value_reached=value,
            description=f"Thực hiện trong tháng {(today - datetime.timedelta(days=30 * months_ago)).month}",
            state=state, review_reason="Chưa có xác nhận của khoa" if state == EvidenceState.REJECTED else "",
        )


DEMO_PROJECTS = [
    # (title, kind, final state, promised beneficiaries)
    ("Khám sức khỏe miễn phí cho người cao tuổi phường 1", "community", "accepted", 200),
    ("Góc tư vấn dinh dưỡng cho người bệnh tiểu đường", "political_task", "in_progress", 300),
    ("Lớp kỹ năng sơ cấp cứu cho đoàn viên mới", "member_development", "approved", 40),
    ("Hiến máu tình nguyện mùa lễ hội xuân hồng", "community", "completed", 150),
    ("Số hóa quy trình tiếp nhận hồ sơ khám bệnh", "political_task", "proposed", 1000),
    ("Sân chơi cuối tuần cho con em nhân viên", "member_development", "rejected", 60),
]


def load_demo_projects(*, today: datetime.date) -> None:
    """Projects of the demo branches in every state, moved through the services so their timelines are real."""
    from django.contrib.auth import get_user_model

    from movements.services.projects import project_move, project_propose, project_report

    users = get_user_model().objects
    secretary, committee = users.get(username="bithu"), users.get(username="thuongvu")
    unit = Unit.objects.get(code="bvndgd-khoa-noi")
    route = ["approve", "start", "report", "complete", "accept"]
    stops = {"proposed": 0, "approved": 1, "in_progress": 3, "completed": 4, "accepted": 5}
    for title, kind, final, people in DEMO_PROJECTS:
        project = project_propose(
            actor=secretary, unit=unit, year=today.year, kind=kind, title=title, goal=f"{title}: {people} người.",
            place="Bệnh viện Nhân dân Gia Định", starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=30), budget=people * 50_000, budget_sources="Đoàn cơ sở, xã hội hóa",
            promised_beneficiaries=people, promised_volunteer_hours=people // 2, promised_value=people * 100_000,
        )
        if final == "rejected":
            project_move(actor=committee, project=project, name="reject", note="Chưa phù hợp kế hoạch năm.")
            continue
        for step in route[:stops[final]]:
            if step == "report":
                project_report(actor=secretary, project=project, reported_on=today - datetime.timedelta(days=10),
                               text="Đã thực hiện đợt 1.", beneficiaries=people // 2, volunteer_hours=people // 4,
                               value=people * 40_000)
            elif step == "accept":
                project_move(actor=committee, project=project, name="accept", figures={
                    "final_beneficiaries": people + 10, "final_volunteer_hours": people // 2,
                    "final_value": people * 110_000, "final_volunteers": 12})
            else:
                actor = committee if step == "approve" else secretary
                project_move(actor=actor, project=project, name=step)


def load_demo_solutions(*, today: datetime.date) -> None:
    """Activities with attendance, initiatives in every state and collectives for the demo branch."""
    from django.contrib.auth import get_user_model

    from movements.models import Attendance, AttendanceMethod, CollectiveModel
    from movements.services.activities import activity_create
    from movements.services.collectives import collective_evaluate, collective_log, collective_register
    from movements.services.initiatives import initiative_move, initiative_score, initiative_submit

    users = get_user_model().objects
    secretary, committee = users.get(username="bithu"), users.get(username="thuongvu")
    branch = Unit.objects.get(code="bvndgd-khoa-noi")
    members = list(Member.objects.filter(unit=branch, status=MemberStatus.ACTIVE).order_by("pk"))
    # Demo data, seeded to come out the same every time.
    rng = random.Random(5)  # nosec B311
    now = timezone.now()
    for months_ago, (kind, title) in enumerate([
        ("seminar", "Hội thảo an toàn người bệnh"), ("talk", "Chuyên đề giao tiếp ứng xử với người bệnh"),
        ("language", "Lớp tiếng Anh chuyên ngành y"), ("contest", "Hội thi điều dưỡng giỏi"),
    ], start=1):
        activity = activity_create(actor=secretary, unit=branch, year=today.year, kind=kind, title=title,
                                   starts_at=now - datetime.timedelta(days=30 * months_ago), place="Hội trường khoa",
                                   organiser="Chi đoàn Khoa Nội")
        Attendance.objects.bulk_create([
            Attendance(activity=activity, member=member, method=AttendanceMethod.MARKED, marked_by=secretary)
            for member in members if rng.random() < 0.7])

    submitter = users.get(username="bithu")
    examples = [
        ("Phiếu hẹn trả kết quả xét nghiệm bằng mã QR", "applied"),
        ("Bảng hướng dẫn quy trình nhập viện bằng hình ảnh", "recognised"),
        ("Sổ tay chăm sóc người bệnh đái tháo đường tại nhà", "under_review"),
        ("Ứng dụng nhắc lịch tái khám qua tin nhắn", "submitted"),
    ]
    for title, final in examples:
        initiative = initiative_submit(
            actor=submitter, coauthors=members[:1], year=today.year, kind="initiative", title=title,
            problem="Người bệnh mất nhiều thời gian chờ đợi và đi lại.", solution=f"{title}.",
            applied_where="Khoa Nội", expected_benefit="Rút ngắn thời gian chờ của người bệnh.")
        if final == "submitted":
            continue
        initiative_move(actor=committee, initiative=initiative, name="open_review",
                        council="BS. Lê Văn An (chủ tịch), ThS. Trần Thị Bình, CN. Phạm Minh Châu")
        initiative_score(actor=committee, initiative=initiative, reviewer="BS. Lê Văn An", score=rng.randint(70, 95))
        if final == "under_review":
            continue
        initiative_move(actor=committee, initiative=initiative, name="recognise", level="grassroots",
                        decision_number=f"{rng.randint(10, 40)}-QĐ/ĐTN", decision_date=today - datetime.timedelta(days=20))
        if final == "applied":
            initiative_move(actor=submitter, initiative=initiative, name="apply", days_saved_per_file=1,
                            cost_saved=12_000_000, benefit_note="Giảm một lượt đi lại cho mỗi người bệnh.")

    for index, model in enumerate(CollectiveModel.objects.order_by("pk")[:2]):
        collective = collective_register(
            actor=secretary, unit=branch, members=members[index * 4:index * 4 + 4], year=today.year, model=model,
            name=f"{model.name} – Khoa Nội", commitments="Mỗi tháng ít nhất hai buổi hoạt động vì người bệnh.",
            target_people_helped=200, target_consultations=100, target_sessions=24)
        for months_ago in range(1, 4):
            collective_log(actor=secretary, collective=collective,
                           done_on=today - datetime.timedelta(days=30 * months_ago),
                           text="Thăm hỏi, tặng quà và tư vấn cho người bệnh khó khăn.",
                           people_helped=rng.randint(10, 30), consultations=rng.randint(5, 15), sessions=2)
        if index == 0:
            collective_evaluate(actor=committee, collective=collective, recognised=True,
                                note="Hoạt động đều đặn, được người bệnh ghi nhận.")


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def load_scale_year(*, today: datetime.date | None = None, chunk: int = 2000) -> dict:
    """The year's work of the benchmark tree (members.demo.load_scale): each scale sector opens this year, five
    members in six register (in every state, most approved) with a pledge per responsibility and evidence on the
    approved ones; every branch has a youth project, every grassroots union two activities with attendance and an
    initiative. Bulk inserts, so that the metro scale loads in minutes; skipped for sectors already loaded."""
    from django.contrib.auth import get_user_model

    today = today or timezone.localdate()
    admin = get_user_model().objects.get(username="admin")
    # Demo data, seeded to come out the same every time.
    rng = random.Random(2026)  # nosec B311
    now = timezone.now()
    loaded = {"commitments": 0, "pledges": 0, "evidence": 0}
    sectors = Unit.objects.filter(code__startswith="scale-s", kind="sector").exclude(
        movement_years__year=today.year).order_by("path")
    for sector in sectors:
        movement_year = year_open(
            actor=admin, unit=sector, year=today.year,
            registration_opens=datetime.date(today.year, 1, 1), registration_closes=today + datetime.timedelta(30),
            evidence_opens=datetime.date(today.year, 1, 1), evidence_closes=today + datetime.timedelta(30),
            evaluation_opens=today + datetime.timedelta(31), evaluation_closes=today + datetime.timedelta(50))
        MovementYear.objects.filter(pk=movement_year.pk).update(state=YearState.OPEN)
        criteria = {}
        for criterion in Criterion.objects.filter(movement_year=movement_year):
            if criterion.applies_to_sector(sector.sector):
                criteria.setdefault(criterion.responsibility, []).append(criterion)
        members = (Member.objects.filter(unit__path__startswith=sector.path, status=MemberStatus.ACTIVE)
                   .order_by("pk").values_list("pk", flat=True))
        for member_ids in _chunks(members.iterator(chunk_size=chunk), chunk):
            states = [rng.choice(STATE_SPREAD) for _member in member_ids]
            commitments = Commitment.objects.bulk_create([
                Commitment(member_id=member_id, movement_year=movement_year, state=state,
                           submitted_at=now if state != CommitmentState.DRAFT else None)
                for member_id, state in zip(member_ids, states, strict=True) if state is not None])
            pledges = Pledge.objects.bulk_create([
                Pledge(commitment=commitment, criterion=rng.choice(criteria[responsibility]), text=text,
                       target_kind=kind, target_value=value, target_unit=target_unit,
                       due_date=datetime.date(today.year, 12, 15))
                for commitment in commitments
                for responsibility, texts in PLEDGE_TEXTS.items()
                for text, kind, value, target_unit in [rng.choice(texts)]])
            evidence = Evidence.objects.bulk_create([
                Evidence(pledge=pledge, done_on=today - datetime.timedelta(days=30 * months_ago),
                         value_reached=1 if pledge.target_kind == TargetKind.NUMBER else None,
                         description=f"Thực hiện trong tháng {(today - datetime.timedelta(30 * months_ago)).month}",
                         state=rng.choice([EvidenceState.VERIFIED] * 3 + [EvidenceState.PENDING]))
                for pledge in pledges if pledge.commitment.state == CommitmentState.APPROVED
                for months_ago in range(rng.randint(1, 2), 0, -1)])
            loaded["commitments"] += len(commitments)
            loaded["pledges"] += len(pledges)
            loaded["evidence"] += len(evidence)
    loaded.update(_scale_solutions(rng, today=today))
    return loaded


def _scale_solutions(rng: random.Random, *, today: datetime.date) -> dict:
    """A project per scale branch, two activities with attendance and an initiative per scale grassroots union."""
    from movements.models import Activity, Attendance, AttendanceMethod, Initiative, YouthProject

    branches = list(Unit.objects.filter(code__startswith="scale-", kind="branch").exclude(
        youth_projects__year=today.year).order_by("path"))
    states = ["proposed", "approved", "in_progress", "completed", "accepted", "in_progress"]
    projects = []
    for branch in branches:
        title, kind = rng.choice(DEMO_PROJECTS)[:2]
        state = rng.choice(states)
        accepted = state == "accepted"
        projects.append(YouthProject(
            unit=branch, year=today.year, kind=kind, title=title, goal="Phục vụ người dân và người bệnh tốt hơn.",
            place=branch.name, starts_on=datetime.date(today.year, 3, 1), ends_on=datetime.date(today.year, 11, 30),
            budget=rng.randint(5, 50) * 1_000_000, promised_beneficiaries=rng.randint(50, 500),
            promised_volunteer_hours=rng.randint(20, 200), promised_value=rng.randint(5, 80) * 1_000_000,
            state=state, final_beneficiaries=rng.randint(50, 500) if accepted else None,
            final_volunteer_hours=rng.randint(20, 200) if accepted else None,
            final_value=rng.randint(5, 80) * 1_000_000 if accepted else None))
    YouthProject.objects.bulk_create(projects, batch_size=1000)
    grassroots = list(Unit.objects.filter(code__startswith="scale-", kind="grassroots").exclude(
        activities__year=today.year).order_by("path"))
    activities, attendances, initiatives = 0, 0, 0
    for union in grassroots:
        members = list(Member.objects.filter(unit__path__startswith=union.path, status=MemberStatus.ACTIVE)
                       .order_by("pk").values_list("pk", flat=True)[:200])
        created = Activity.objects.bulk_create([
            Activity(unit=union, year=today.year, kind=kind, title=title, organiser=union.name,
                     starts_at=timezone.now() - datetime.timedelta(days=days_ago), place="Hội trường")
            for kind, title, days_ago in [("talk", "Nói chuyện chuyên đề đạo đức nghề nghiệp", 60),
                                          ("seminar", "Hội thảo cải cách hành chính", 20)]])
        attendances += len(Attendance.objects.bulk_create([
            Attendance(activity=activity, member_id=member_id, method=AttendanceMethod.QR)
            for activity in created for member_id in rng.sample(members, min(40, len(members)))]))
        activities += len(created)
        if members:
            # As initiative_submit files it: under the submitter's own branch, the submitter among the authors.
            submitter = Member.objects.select_related("unit").get(pk=members[0])
            state = rng.choice(["submitted", "under_review", "recognised", "applied"])
            initiative = Initiative.objects.create(
                unit=submitter.unit, year=today.year, kind="initiative", submitted_by=submitter,
                title=f"Sáng kiến rút ngắn thời gian xử lý hồ sơ – {union.name}",
                problem="Hồ sơ phải qua nhiều bước chuyển tay.", solution="Tiếp nhận và trả kết quả một cửa.",
                state=state, level=rng.choice(["grassroots", "sector"]) if state in ("recognised", "applied") else "")
            initiative.authors.add(submitter)
            initiatives += 1
    return {"projects": len(projects), "activities": activities, "attendances": attendances,
            "initiatives": initiatives}
