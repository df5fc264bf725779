"""The criteria of the movement, written from the seed text's section II (its own Vietnamese wording).

A committee's first year starts from this catalogue; later years start from the previous year's criteria.
"""

from movements.models import Responsibility, SectorScope

# (responsibility, title, guidance, weight, applies to)
CRITERIA = [
    (Responsibility.WORK, "Tận tâm, hoàn thành tốt công việc được giao",
     "Tận tâm với công việc, hoàn thành tốt, hiệu quả công việc do đơn vị phân công.", 3, SectorScope.BOTH),
    (Responsibility.WORK, "Sáng kiến rút ngắn tiến độ giải quyết hồ sơ",
     "Có sáng kiến rút ngắn tiến độ giải quyết hồ sơ, nâng cao chất lượng sản phẩm phục vụ.", 2,
     SectorScope.ADMINISTRATIVE),
    (Responsibility.WORK, "Nâng cao chất lượng phục vụ, hiệu quả điều trị",
     "Có sáng kiến, cải tiến nâng cao chất lượng phục vụ người bệnh và hiệu quả điều trị.", 2, SectorScope.HEALTH),
    (Responsibility.WORK, "Thực hành tiết kiệm, chống lãng phí",
     "Thực hành tiết kiệm và chống lãng phí trong công việc hằng ngày.", 1, SectorScope.BOTH),
    (Responsibility.WORK, "Phát huy quy chế dân chủ cơ sở",
     "Phát huy quy chế dân chủ cơ sở, góp ý xây dựng cơ quan, đơn vị.", 1, SectorScope.BOTH),
    (Responsibility.WORK, "Tham gia các hoạt động của đoàn thể",
     "Tham gia các hoạt động của đoàn thể tại cơ quan.", 1, SectorScope.BOTH),
    (Responsibility.PEOPLE, "Tiếp đón ân cần, lễ phép, hòa nhã",
     "Tiếp đón ân cần, lễ phép, hòa nhã với người dân, người bệnh.", 3, SectorScope.BOTH),
    (Responsibility.PEOPLE, "Lắng nghe ý kiến góp ý của dân",
     "Biết lắng nghe ý kiến góp ý của dân, tiếp thu và phản hồi.", 2, SectorScope.BOTH),
    (Responsibility.PEOPLE, "Không gây phiền hà, sách nhiễu",
     "Không gây phiền hà, sách nhiễu người dân, người bệnh.", 2, SectorScope.BOTH),
    (Responsibility.PEOPLE, "Đồng cảm, chia sẻ, tư vấn và giải thích kịp thời",
     "Đồng cảm chia sẻ và tư vấn, giải thích kịp thời những yêu cầu của công việc cho dân rõ ràng, thuận tiện.",
     2, SectorScope.BOTH),
    (Responsibility.PEOPLE, "Thực hiện tốt tâm lý tiếp xúc, công bằng y tế",
     "Thực hiện tốt tâm lý tiếp xúc, công bằng y tế trong ngành y tế.", 2, SectorScope.HEALTH),
    (Responsibility.SELF, "Tự học nâng cao trình độ",
     "Thường xuyên tự học tập nâng cao trình độ văn hóa, nghiệp vụ chuyên môn như học trên đại học, đại học, "
     "ngoại ngữ, vi tính.", 3, SectorScope.BOTH),
    (Responsibility.SELF, "Rèn luyện bản lĩnh chính trị, đạo đức",
     "Rèn luyện nâng cao bản lĩnh chính trị, đạo đức.", 2, SectorScope.ADMINISTRATIVE),
    (Responsibility.SELF, "Rèn luyện bản lĩnh chính trị, y đức, lương tâm nghề nghiệp",
     "Rèn luyện nâng cao bản lĩnh chính trị, đạo đức, y đức lương tâm chức nghiệp.", 2, SectorScope.HEALTH),
    (Responsibility.SELF, "Xây dựng tác phong làm việc công nghiệp",
     "Đảm bảo giờ giấc, sắp xếp công việc, làm việc khoa học.", 2, SectorScope.BOTH),
    (Responsibility.SELF, "Có sáng kiến, nghiên cứu khoa học",
     "Có sáng kiến, nghiên cứu khoa học phục vụ cho công việc, cho đơn vị, hoặc phục vụ xã hội.", 1,
     SectorScope.BOTH),
]
