from django.db import migrations

# The models of advanced youth collectives the movement's text names (section III.4); more are added in the admin.
MODELS = [
    ("Nhóm “Những người bạn của bệnh nhân”", "Đồng hành, hỗ trợ người bệnh và thân nhân trong thời gian điều trị."),
    ("Phòng khám thanh niên", "Phòng khám do bác sĩ, điều dưỡng trẻ đảm nhận, đi đầu về thái độ phục vụ."),
    ("Buồng bệnh kiểu mẫu", "Buồng bệnh sạch, đẹp, an toàn, người bệnh được chăm sóc chu đáo."),
    ("Bàn hướng dẫn thanh niên", "Hướng dẫn, giải đáp cho người dân, người bệnh về thủ tục, quy trình."),
    ("Đội thanh niên xung kích", "Nhận các phần việc khó, cấp bách của đơn vị."),
]


def add_models(apps, schema_editor):
    CollectiveModel = apps.get_model("movements", "CollectiveModel")
    for name, description in MODELS:
        CollectiveModel.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("movements", "0001_initial")]
    operations = [migrations.RunPython(add_models, migrations.RunPython.noop)]
