"""Demo campaigns in every phase, and awards decided and on the honour board. Safe to run again.

Everything goes through the services, with dates placed around today so that each step is one the rules allow:
a draft for next year's Youth Month, a week-long campaign taking registrations, the sector's autumn–winter
campaign in its third stage with two interim reviews held, and a 45-day campaign finished with its final review
and awards."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from campaigns import services
from campaigns.catalogue import COORDINATION_RULE, TEMPLATES_BY_KEY
from campaigns.models import AwardTitle, Campaign, RecipientKind, ReviewKind
from members.models import Member, Unit

DAY = datetime.timedelta(days=1)


def _campaign(admin, unit, key, *, starts_on, ends_on, stages=(), launch=True, **extra):
    template = TEMPLATES_BY_KEY[key]
    campaign = services.campaign_create(
        actor=admin, unit=unit, template_key=key, targets=template.target_rows(), stages=list(stages),
        title=extra.pop("title", f"{template.title} năm {starts_on.year}"), purpose=template.purpose,
        content=template.content, starts_on=starts_on, ends_on=ends_on, coordination_rule=COORDINATION_RULE,
        open_to_units=True, open_to_collectives="collectives" in template.open_to,
        open_to_members="members" in template.open_to, **extra,
        standing_members=list(Member.objects.filter(user__username__in=["bithu", "bithu2"])))
    if launch:
        services.campaign_endorse(actor=admin, campaign=campaign, endorsed_by="Đảng ủy và Ban Giám đốc",
                                  endorsed_on=starts_on - 7 * DAY)
        campaign = services.campaign_launch(actor=admin, campaign=campaign, launched_on=starts_on,
                                 launch_place="Hội trường A, " + unit.name)
    return campaign


def _register(admin, campaign, units, rng, *, approve=True):
    # Whoever sends a registration may not approve it: the city committee decides what the administrator sent.
    approver = get_user_model().objects.get(username="thanhdoan")
    registrations = []
    for unit in units:
        pledges = {target.pk: Decimal(rng.randint(5, 40)) for target in campaign.targets.all()}
        registration = services.registration_save(actor=admin, campaign=campaign, kind=RecipientKind.UNIT,
                                                  unit=unit, pledges=pledges, submit=True,
                                                  note=f"{unit.name} đăng ký thực hiện đầy đủ các chỉ tiêu.")
        if approve:
            registration = services.registration_move(actor=approver, registration=registration, name="approve")
        registrations.append(registration)
    return registrations


def _report(admin, registration, rng, reported_on, share):
    figures = {figure.target_id: (figure.pledged * Decimal(share) * Decimal(rng.uniform(0.6, 1.3))).quantize(
        Decimal(1)) for figure in registration.figures.all()}
    services.progress_report(actor=admin, registration=registration, reported_on=reported_on, figures=figures,
                             text="Các đoàn viên đã triển khai theo kế hoạch, có xác nhận của khoa, phòng.")


def load_demo_campaigns(*, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    hospital = Unit.objects.filter(code="bvndgd").first()
    if hospital is None or Campaign.objects.filter(unit=hospital).exists():
        return False
    sector = Unit.objects.get(code="doan-so-y-te")
    admin = get_user_model().objects.get(username="admin")
    branches = list(Unit.objects.filter(path__startswith=hospital.path, kind="branch").order_by("path"))
    office_branches = list(Unit.objects.filter(path__startswith=Unit.objects.get(code="vp-so-y-te").path,
                                               kind="branch").order_by("path"))
    # Demo data, seeded to come out the same every time.
    rng = random.Random(5)  # nosec B311
    with transaction.atomic():
        youth_month = TEMPLATES_BY_KEY["youth_month"]
        starts_on, ends_on = youth_month.dates(today + 120 * DAY)
        _campaign(admin, hospital, "youth_month", starts_on=starts_on, ends_on=ends_on, launch=False,
                  stages=youth_month.stage_rows(today + 120 * DAY))

        week = _campaign(admin, hospital, "for_patients", starts_on=today - 3 * DAY, ends_on=today + 4 * DAY)
        _register(admin, week, branches[:1], rng)
        _register(admin, week, branches[2:4], rng, approve=False)

        autumn = _campaign(admin, sector, "autumn_winter", starts_on=today - 70 * DAY, ends_on=today + 20 * DAY,
                           registration_ends_on=today + 10 * DAY, stages=[
                               {"name": "Chặng 1", "starts_on": today - 70 * DAY, "ends_on": today - 41 * DAY},
                               {"name": "Chặng 2", "starts_on": today - 40 * DAY, "ends_on": today - 11 * DAY},
                               {"name": "Chặng 3", "starts_on": today - 10 * DAY, "ends_on": today + 20 * DAY}])
        registrations = _register(admin, autumn, branches + office_branches[:2], rng)
        services.registration_forward(actor=admin, campaign=autumn, unit=hospital,
                                      note="Đoàn Bệnh viện gửi tổng hợp đăng ký của 5 chi đoàn.")
        for registration in registrations:
            _report(admin, registration, rng, today - 45 * DAY, 0.3)
        services.review_take(actor=admin, campaign=autumn, kind=ReviewKind.INTERIM, held_on=today - 40 * DAY,
                             stage=autumn.stages.get(number=1), note="Các chi đoàn triển khai đúng tiến độ chặng 1.",
                             small_awards={registrations[0].pk: "Giấy khen chặng 1"})
        for registration in registrations[:-2]:
            _report(admin, registration, rng, today - 15 * DAY, 0.35)
        services.review_take(actor=admin, campaign=autumn, kind=ReviewKind.INTERIM, held_on=today - 10 * DAY,
                             stage=autumn.stages.get(number=2),
                             note="Hai chi đoàn chưa báo cáo chặng 2, cần đeo bám, hỗ trợ.")
        services.inspection_record(actor=admin, campaign=autumn, registration=registrations[-1],
                                   visited_on=today - 8 * DAY, inspectors="Thường trực thi đua Đoàn Sở Y tế",
                                   findings="Chi đoàn chưa phân công người phụ trách số liệu.",
                                   support_promised="Cử cán bộ hướng dẫn cách ghi nhận số liệu hằng tuần.")
        services.support_record(actor=admin, campaign=autumn, registration=registrations[-1],
                                given_on=today - 5 * DAY, description="Tập huấn cách báo cáo tiến độ cho chi đoàn.")

        sprint = _campaign(admin, hospital, "days_45", starts_on=today - 44 * DAY, ends_on=today)
        registrations = _register(admin, sprint, branches, rng)
        for registration in registrations:
            _report(admin, registration, rng, today - 20 * DAY, 0.5)
            _report(admin, registration, rng, today - 2 * DAY, 0.6)
        final = services.review_take(actor=admin, campaign=sprint, kind=ReviewKind.FINAL, held_on=today,
                                     note="Chiến dịch hoàn thành vượt chỉ tiêu đề ra.")
        _awards(admin, hospital, final, today)
    return True


def _awards(admin, hospital, final_review, today):
    commendation = AwardTitle.objects.get(name="Giấy khen của Ban Chấp hành Đoàn cơ sở")
    best = final_review.entries.order_by("rank", "id").first()
    award = services.award_propose(actor=admin, proposing_unit=hospital, title=commendation, year=today.year,
                                   unit=best.registration.unit, review_entry=best,
                                   achievements=f"Hạng {best.rank} chiến dịch 45 ngày, điểm {best.score}.")
    services.award_move(actor=admin, award=award, name="decide", decision_number="15-QĐ/ĐTN", decided_on=today,
                        issuing_body="Ban Chấp hành Đoàn Bệnh viện Nhân dân Gia Định")
    services.award_publish(actor=admin, award=award, citation=(
        f"{best.registrant_name} dẫn đầu chiến dịch 45 ngày với các phần việc thanh niên và ngày công tình nguyện "
        "vượt chỉ tiêu đăng ký."))
    member = Member.objects.filter(user__username="doanvien").first()
    if member is not None:
        advanced = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
        award = services.award_propose(
            actor=admin, proposing_unit=hospital, title=advanced, year=today.year - 1, member=member,
            achievements="Hoàn thành xuất sắc nhiệm vụ; 02 sáng kiến cải tiến quy trình tiếp đón người bệnh.")
        services.award_move(actor=admin, award=award, name="decide", decision_number="08-QĐ/ĐTN",
                            decided_on=datetime.date(today.year - 1, 12, 20),
                            issuing_body="Ban Chấp hành Đoàn Bệnh viện Nhân dân Gia Định")
        services.award_publish(actor=admin, award=award, citation=(
            "Điều dưỡng trẻ luôn ân cần với người bệnh, có sáng kiến rút ngắn thời gian tiếp đón tại khoa."))
    second = final_review.entries.order_by("rank", "id")[1]
    services.award_propose(actor=admin, proposing_unit=hospital, title=commendation, year=today.year,
                           unit=second.registration.unit, review_entry=second,
                           achievements=f"Hạng {second.rank} chiến dịch 45 ngày, điểm {second.score}.")


DEMO_OPINIONS = [
    # (months ago, ratings, served by, comment, contact)
    (0, (5, 5, 5, 4), "Võ Thị Thu Hà", "Chị điều dưỡng hướng dẫn rất tận tình, giải thích rõ từng bước làm thủ tục.",
     "nguoibenh.an@example.org"),
    (0, (4, 4, 3, 3), "", "Phải chờ khá lâu ở quầy lấy số, mong bố trí thêm người vào giờ cao điểm.", "0903 123 456"),
    (0, (2, 3, 2, 1), "", "Buổi sáng thứ Hai quá đông, không ai hướng dẫn chỗ đóng tiền.", ""),
    (1, (5, 5, 4, 5), "Thu Hà", "Cảm ơn các bạn trẻ đã đẩy xe lăn giúp mẹ tôi.", ""),
    (1, (5, 4, 5, 4), "", "", ""),
    (2, (4, 5, 4, 4), "Võ Thị Thu Hà", "Giải thích kết quả xét nghiệm dễ hiểu.", ""),
    (3, (3, 4, 3, 3), "", "Bảng chỉ dẫn ở tầng 2 khó đọc.", ""),
    (4, (5, 5, 5, 5), "", "Rất hài lòng.", ""),
    (5, (4, 4, 4, 3), "", "", ""),
    (1, (1, 1, 1, 1), "", "Nội dung quảng cáo không liên quan, kèm lời lẽ thô tục.", ""),
]


def load_demo_feedback(*, today: datetime.date | None = None) -> bool:
    """Two feedback points of the Internal Medicine branch (a guidance desk, and its patients' friends group) with
    a few months of opinions: some name a member, one is answered by mail, one is hidden as abusive."""
    from campaigns.models import Feedback, FeedbackPoint, FeedbackPointKind
    from movements.models import Collective

    today = today or timezone.localdate()
    branch = Unit.objects.filter(code="bvndgd-khoa-noi").first()
    if branch is None or FeedbackPoint.objects.filter(unit=branch).exists():
        return False
    secretary = get_user_model().objects.get(username="bithu")
    with translation.override(settings.LANGUAGE_CODE):
        questions = [str(text) for text in services.DEFAULT_QUESTIONS]
    with transaction.atomic():
        desk = services.point_create(
            actor=secretary, unit=branch, kind=FeedbackPointKind.DESK, questions=questions,
            name="Bàn hướng dẫn người bệnh – Khoa Nội",
            invitation="Ý kiến của bạn giúp tuổi trẻ Khoa Nội phục vụ người bệnh tốt hơn. Chỉ mất một phút.")
        points = [desk]
        collective = Collective.objects.filter(unit=branch, year=today.year).order_by("pk").first()
        if collective is not None:
            points.append(services.point_create(
                actor=secretary, unit=branch, kind=FeedbackPointKind.COLLECTIVE, collective=collective,
                questions=questions[:3], name=collective.name,
                invitation="Hãy cho chúng tôi biết các bạn trẻ đã giúp bạn thế nào."))
        for index, (months_ago, scores, served_by, comment, contact) in enumerate(DEMO_OPINIONS):
            point = points[index % len(points)]
            asked = list(point.questions.filter(is_active=True))
            feedback = services.feedback_submit(
                point=point, scores={question.pk: score for question, score in zip(asked, scores)},
                served_by_name=served_by, comment=comment, contact=contact, sender_address=f"203.0.113.{index + 1}")
            # The demo tells a story over months; the services stamp the time of the call.
            received = timezone.now() - datetime.timedelta(days=30 * months_ago + index)
            Feedback.objects.filter(pk=feedback.pk).update(created_at=received)
            if index == 0:
                services.feedback_reply(actor=secretary, feedback=feedback, text=(
                    "Cảm ơn anh/chị đã ghi nhận. Chi đoàn sẽ tiếp tục duy trì bàn hướng dẫn vào các buổi sáng."))
            if index == len(DEMO_OPINIONS) - 1:
                services.feedback_move(actor=secretary, feedback=feedback, name="hide",
                                       reason="Quảng cáo, lời lẽ thô tục")
    return True


@transaction.atomic
def load_scale_campaign(*, today: datetime.date | None = None) -> int:
    """A city-wide campaign for the benchmark tree (members.demo.load_scale): launched by the city union, every
    scale branch registered and approved, with two progress reports each; the leaderboard then ranks them all.
    Bulk inserts; returns the registrations added (none when it is there already)."""
    from campaigns.models import (
        ProgressFigure,
        ProgressReport,
        Registration,
        RegistrationFigure,
        RegistrationState,
    )

    today = today or timezone.localdate()
    branches = list(Unit.objects.filter(code__startswith="scale-", kind="branch").order_by("path"))
    if not branches:
        return 0
    city = Unit.objects.get(path=branches[0].path[:Unit.steplen])
    title = f"Thi đua cao điểm cải cách hành chính toàn thành phố năm {today.year}"
    if Campaign.objects.filter(unit=city, title=title).exists():
        return 0
    admin = get_user_model().objects.get(username="admin")
    campaign = _campaign(admin, city, "autumn_winter", title=title, starts_on=today - 60 * DAY,
                         ends_on=today + 30 * DAY)
    targets = list(campaign.targets.all())
    # Demo data, seeded to come out the same every time.
    rng = random.Random(7)  # nosec B311
    now = timezone.now()
    registrations = Registration.objects.bulk_create([
        Registration(campaign=campaign, kind=RecipientKind.UNIT, unit=branch, state=RegistrationState.APPROVED,
                     note=f"{branch.name} đăng ký thực hiện đầy đủ các chỉ tiêu.", submitted_at=now, decided_at=now,
                     submitted_by=admin, created_by=admin)
        for branch in branches], batch_size=1000)
    pledged = {(registration.pk, target.pk): Decimal(rng.randint(5, 40))
               for registration in registrations for target in targets}
    RegistrationFigure.objects.bulk_create([
        RegistrationFigure(registration_id=registration_id, target_id=target_id, pledged=value)
        for (registration_id, target_id), value in pledged.items()], batch_size=5000)
    for days_ago, share in ((40, 0.3), (10, 0.35)):
        reports = ProgressReport.objects.bulk_create([
            ProgressReport(registration=registration, reported_on=today - days_ago * DAY, created_by=admin,
                           text="Các đoàn viên đã triển khai theo kế hoạch, có xác nhận của khoa, phòng.")
            for registration in registrations], batch_size=1000)
        ProgressFigure.objects.bulk_create([
            ProgressFigure(report=report, target=target, value=(pledged[report.registration_id, target.pk]
                                                                 * Decimal(share * rng.uniform(0.6, 1.3))
                                                                 ).quantize(Decimal(1)))
            for report in reports for target in targets], batch_size=5000)
    return len(registrations)
