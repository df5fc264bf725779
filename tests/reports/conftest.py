import pytest

from movements.models import YouthProject
from reports import services
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(tree, movement_year, member_in_a, member_in_c, commitment_in_a, commitment_in_c):
    """Members, commitments and projects on both sides of G1, so that every figure can be checked for scope."""
    for unit, title in ((tree.branch_a, "Khám bệnh miễn phí"), (tree.branch_c, "Hiến máu ở C")):
        YouthProject.objects.create(unit=unit, year=movement_year.year, kind="community", title=title, goal="x",
                                    starts_on=movement_year.registration_opens, ends_on=movement_year.registration_opens,
                                    budget=1_000_000)
    MemberFactory(unit=tree.branch_b, full_name="=HYPERLINK(\"http://x\")")
    return movement_year


@pytest.fixture
def draft(grassroots_committee, tree, data):
    report = services.year_end_report_draft(actor=grassroots_committee, unit=tree.g1, year=data.year)
    return services.year_end_report_update(actor=grassroots_committee, report=report, signer_name="Trần Thị Mỹ Hạnh",
                                           strengths="Đoàn viên tích cực tham gia.", weaknesses="Còn chi đoàn chậm.",
                                           causes="Thời gian sinh hoạt ít.", direction="Duy trì phong trào.")
