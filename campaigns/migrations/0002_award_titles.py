from django.db import migrations

# Real titles and prizes of the union (DOMAIN.md, "Facts from real documents"); more are added in the admin.
# (name, kind, level, usual issuing body, for people, for collectives)
TITLES = [
    ("Giấy khen của Ban Chấp hành Đoàn cơ sở", "commendation", "grassroots",
     "Ban Chấp hành Đoàn cơ sở", True, True),
    ("Giấy khen của Ban Chấp hành Đoàn Khối", "commendation", "sector",
     "Ban Chấp hành Đoàn Khối", True, True),
    ("Bằng khen của Ban Chấp hành Thành Đoàn", "commendation", "city",
     "Ban Chấp hành Thành Đoàn", True, True),
    ("Bằng khen của Ban Chấp hành Trung ương Đoàn", "commendation", "central",
     "Ban Chấp hành Trung ương Đoàn", True, True),
    ("Thanh niên tiên tiến làm theo lời Bác", "title", "grassroots", "Ban Chấp hành Đoàn cơ sở",
     True, False),
    ("Cán bộ, công chức, viên chức trẻ giỏi", "title", "central", "Ban Chấp hành Trung ương Đoàn",
     True, False),
    ("Cán bộ, công chức, viên chức trẻ, giỏi, thân thiện", "title", "city",
     "Ban Thường vụ Thành Đoàn", True, False),
    ("Thầy thuốc trẻ giỏi", "title", "sector", "Ban Thường vụ Đoàn Khối", True, False),
    ("Thầy thuốc trẻ tiêu biểu", "title", "city", "Ban Thường vụ Thành Đoàn", True, False),
    ("Blouse trắng – trẻ giỏi – thân thiện", "title", "sector", "Đoàn Sở Y tế", True, False),
    ("Giải thưởng Phạm Ngọc Thạch", "prize", "city", "Thành Đoàn", True, False),
    ("Tập thể thanh niên tiên tiến", "title", "grassroots", "Ban Chấp hành Đoàn cơ sở",
     False, True),
    ("Chi đoàn vững mạnh xuất sắc", "title", "grassroots", "Ban Chấp hành Đoàn cơ sở",
     False, True),
]


def add_titles(apps, schema_editor):
    AwardTitle = apps.get_model("campaigns", "AwardTitle")
    for name, kind, level, issuing_body, for_people, for_collectives in TITLES:
        AwardTitle.objects.get_or_create(name=name, defaults={
            "kind": kind, "level": level, "issuing_body": issuing_body, "for_people": for_people,
            "for_collectives": for_collectives})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(add_titles, migrations.RunPython.noop)]
