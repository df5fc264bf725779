"""Templates for the campaigns the movement's text names (section III, item 5), and the award titles the union
gives. A template fills the campaign form; the committee edits everything before launching. The award titles
are data: migration 0002 loads the real ones, and the admin keeps them."""

import datetime
from dataclasses import dataclass, field

from campaigns.models import Direction

COORDINATION_RULE = (
    "Bộ phận thường trực thi đua gồm đại diện Ban Thường vụ Đoàn và cán bộ các phòng, ban chuyên môn. "
    "Phòng, ban chuyên môn xác nhận số liệu của các chi đoàn hằng tháng và cùng Đoàn kiểm tra, hỗ trợ khi cần."
)


@dataclass(frozen=True)
class CampaignTemplate:
    key: str
    title: str
    purpose: str
    content: str
    month: int  # the month the campaign usually starts
    days: int
    # (name, unit of measure, direction, weight)
    targets: tuple[tuple[str, str, str, int], ...]
    stages: int = 1
    open_to: tuple[str, ...] = ("units",)
    stage_names: tuple[str, ...] = field(default=())

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The next time this campaign's month comes round, today's month included."""
        year = today.year if today.month <= self.month else today.year + 1
        starts_on = datetime.date(year, self.month, 1)
        return starts_on, starts_on + datetime.timedelta(days=self.days - 1)

    def stage_dates(self, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        starts_on, ends_on = self.dates(today)
        length = (ends_on - starts_on).days + 1
        bounds = [starts_on + datetime.timedelta(days=length * n // self.stages) for n in range(self.stages + 1)]
        return [(bounds[n], bounds[n + 1] - datetime.timedelta(days=1)) for n in range(self.stages)]

    def stage_rows(self, today: datetime.date) -> list[dict]:
        """The stages as the campaign form and service take them; none for a short campaign."""
        if self.stages < 2:
            return []
        return [{"name": name, "starts_on": starts_on, "ends_on": ends_on}
                for name, (starts_on, ends_on) in zip(self.stage_names, self.stage_dates(today), strict=True)]

    def target_rows(self) -> list[dict]:
        return [{"name": name, "measure": measure, "direction": direction, "weight": weight}
                for name, measure, direction, weight in self.targets]


H, L = Direction.HIGHER, Direction.LOWER

TEMPLATES = [
    CampaignTemplate(
        "youth_month", "Tháng Thanh niên",
        "Phát huy vai trò xung kích, tình nguyện của đoàn viên trẻ trong thực hiện nhiệm vụ chuyên môn và phục vụ "
        "nhân dân; mỗi cơ sở Đoàn đăng ký ít nhất một công trình thanh niên.",
        "Ra quân công trình thanh niên; ngày thứ bảy tình nguyện; hiến máu tình nguyện; khám bệnh, tư vấn miễn phí "
        "cho người dân; kết nạp đoàn viên mới; tuyên dương đoàn viên tiêu biểu.",
        3, 31,
        (("Công trình thanh niên", "công trình", H, 3), ("Lượt người dân được khám, tư vấn miễn phí", "lượt", H, 2),
         ("Đơn vị máu hiến tặng", "đơn vị máu", H, 2), ("Đoàn viên mới kết nạp", "đoàn viên", H, 1)),
        stages=2, stage_names=("Chặng 1: Ra quân", "Chặng 2: Tăng tốc, về đích"),
    ),
    CampaignTemplate(
        "autumn_winter", "Chiến dịch Thu – Đông",
        "Đẩy mạnh thi đua hoàn thành nhiệm vụ chuyên môn những tháng cuối năm, nâng cao chất lượng phục vụ.",
        "Rút ngắn thời gian giải quyết hồ sơ; giảm phàn nàn của người dân; sáng kiến cải tiến quy trình; chăm lo "
        "đoàn viên có hoàn cảnh khó khăn.",
        9, 90,
        (("Hồ sơ giải quyết đúng hạn", "hồ sơ", H, 3), ("Phản ánh, phàn nàn của người dân", "lượt", L, 2),
         ("Sáng kiến cải tiến được áp dụng", "sáng kiến", H, 2)),
        stages=3, open_to=("units", "collectives"), stage_names=("Chặng 1", "Chặng 2", "Chặng 3"),
    ),
    CampaignTemplate(
        "days_45", "Chiến dịch 45 ngày",
        "Tập trung sức trẻ hoàn thành một nhiệm vụ trọng tâm của đơn vị trong 45 ngày.",
        "Mỗi chi đoàn nhận một phần việc cụ thể, có chỉ tiêu, có người phụ trách và báo cáo tiến độ hằng tuần.",
        5, 45,
        (("Phần việc thanh niên hoàn thành", "phần việc", H, 3), ("Ngày công tình nguyện", "ngày công", H, 2)),
    ),
    CampaignTemplate(
        "friendly_smile", "Tháng \u201cNụ cười thân ái\u201d",
        "Nâng cao tinh thần, thái độ phục vụ: tiếp đón ân cần, lễ phép, hòa nhã với người dân, người bệnh.",
        "Mỗi đoàn viên đăng ký thực hiện \u201cnói lời hay, làm việc tốt\u201d; hộp thư và mã QR góp ý; bình chọn "
        "gương mặt thân thiện hằng tuần.",
        6, 30,
        (("Ý kiến hài lòng của người dân", "ý kiến", H, 3), ("Phản ánh về thái độ phục vụ", "lượt", L, 3),
         ("Việc tốt được ghi nhận", "việc", H, 1)),
        open_to=("units", "members"),
    ),
    CampaignTemplate(
        "for_patients", "Tuần lễ \u201cVì bệnh nhân thân yêu\u201d",
        "Chăm sóc, hỗ trợ người bệnh và thân nhân; thực hiện tốt quy tắc ứng xử của ngành y tế.",
        "Hướng dẫn người bệnh làm thủ tục; suất ăn, quà cho bệnh nhân nghèo; sinh hoạt vui chơi cho bệnh nhi; "
        "tư vấn sức khỏe tại khoa.",
        10, 7,
        (("Người bệnh được hướng dẫn, hỗ trợ", "lượt", H, 3), ("Suất ăn, quà tặng bệnh nhân khó khăn", "suất", H, 2),
         ("Buổi tư vấn sức khỏe", "buổi", H, 1)),
        open_to=("units", "collectives"),
    ),
    CampaignTemplate(
        "young_doctor", "Cuộc vận động rèn luyện đạt danh hiệu \u201cThầy thuốc trẻ giỏi\u201d",
        "Khuyến khích thầy thuốc trẻ rèn luyện y đức, nâng cao chuyên môn, nghiên cứu khoa học và tình nguyện vì "
        "sức khỏe cộng đồng.",
        "Đoàn viên đăng ký chỉ tiêu rèn luyện cả năm; sơ kết mỗi quý; tổng kết và đề xuất danh hiệu "
        "\u201cThầy thuốc trẻ giỏi\u201d, \u201cThầy thuốc trẻ tiêu biểu\u201d.",
        1, 365,
        (("Đề tài, sáng kiến được nghiệm thu", "đề tài", H, 3), ("Buổi khám bệnh tình nguyện", "buổi", H, 2),
         ("Lớp, khóa bồi dưỡng chuyên môn hoàn thành", "lớp", H, 2), ("Phản ánh của người bệnh", "lượt", L, 2)),
        stages=4, open_to=("members",), stage_names=("Quý I", "Quý II", "Quý III", "Quý IV"),
    ),
]

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}
