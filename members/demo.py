"""Demo data: a small realistic tree with people and accounts, and a large tree for benchmarks.

Everything is keyed by unit codes, card numbers and user names, so loading twice adds nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from members.models import Gender, Member, Role, RoleAssignment, Sector, Unit, UnitKind
from members.text import fold, sort_key_for_name

# The demo accounts' password, printed in the README.
DEMO_PASSWORD = "Demo@2026"  # nosec B105

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Châu", "Cao", "Quách",
]
MIDDLE_NAMES = {
    Gender.MALE: ["Văn", "Minh", "Quốc", "Hoàng", "Đức", "Thanh", "Hữu", "Gia", "Tuấn", "Công", "Nhật", "Trung"],
    Gender.FEMALE: ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Phương", "Kim", "Bảo", "Hồng", "Khánh", "Thùy", "Diệu"],
}
GIVEN_NAMES = {
    Gender.MALE: [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khang", "Khoa", "Long", "Lộc", "Minh",
        "Nam", "Nghĩa", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thịnh", "Trí", "Tùng", "Việt", "Vinh",
    ],
    Gender.FEMALE: [
        "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Huyền", "Lan", "Linh", "Mai",
        "My", "Ngân", "Nhi", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Trâm", "Uyên", "Vy", "Yến",
    ],
}
POSITIONS = {
    Sector.HEALTH: ["Bác sĩ", "Điều dưỡng", "Kỹ thuật viên", "Dược sĩ", "Hộ sinh", "Nhân viên hành chính"],
    Sector.ADMINISTRATIVE: ["Chuyên viên", "Cán bộ tiếp nhận hồ sơ", "Kế toán", "Văn thư", "Chuyên viên pháp chế"],
}


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    sector: Sector
    children: tuple["UnitSpec", ...] = ()


def _branches(prefix: str, sector: Sector, names: list[str]) -> tuple[UnitSpec, ...]:
    return tuple(
        UnitSpec(f"{prefix}-{slug}", f"Chi đoàn {name}", UnitKind.BRANCH, sector) for slug, name in names
    )


DEMO_TREE = UnitSpec(
    "thanh-doan", "Thành Đoàn TP. Hồ Chí Minh", UnitKind.CITY, Sector.ADMINISTRATIVE, (
        UnitSpec("doan-so-y-te", "Đoàn Sở Y tế TP. Hồ Chí Minh", UnitKind.SECTOR, Sector.HEALTH, (
            UnitSpec("bvndgd", "Đoàn Bệnh viện Nhân dân Gia Định", UnitKind.GRASSROOTS, Sector.HEALTH, _branches(
                "bvndgd", Sector.HEALTH, [
                    ("khoa-noi", "Khoa Nội"), ("khoa-ngoai", "Khoa Ngoại"), ("cap-cuu", "Khoa Cấp cứu"),
                    ("dieu-duong", "Điều dưỡng"), ("hanh-chinh", "Khối Hành chính"),
                ])),
            UnitSpec("vp-so-y-te", "Đoàn Văn phòng Sở Y tế", UnitKind.GRASSROOTS, Sector.ADMINISTRATIVE, _branches(
                "vpsyt", Sector.ADMINISTRATIVE, [
                    ("mot-cua", "Bộ phận Một cửa"), ("nghiep-vu-y", "Phòng Nghiệp vụ Y"),
                    ("to-chuc", "Phòng Tổ chức cán bộ"), ("thanh-tra", "Thanh tra Sở"),
                ])),
            UnitSpec("ttyt-binh-thanh", "Đoàn Trung tâm Y tế quận Bình Thạnh", UnitKind.GRASSROOTS, Sector.HEALTH,
                     _branches("ttytbt", Sector.HEALTH, [
                         ("kiem-soat-benh-tat", "Khoa Kiểm soát bệnh tật"), ("tram-y-te", "Các Trạm Y tế phường"),
                         ("xet-nghiem", "Khoa Xét nghiệm"),
                     ])),
        )),
    ),
)

# (user name, full name, unit code, role); the member of a branch is a Member with an account.
DEMO_ACCOUNTS = [
    ("thanhdoan", "Lê Quốc Bảo", "thanh-doan", Role.COMMITTEE),
    ("thuongvu", "Trần Thị Mỹ Hạnh", "bvndgd", Role.COMMITTEE),
    ("bithu", "Nguyễn Hoàng Nam", "bvndgd-khoa-noi", Role.SECRETARY),
    ("bithu2", "Phạm Ngọc Trâm", "bvndgd-khoa-ngoai", Role.SECRETARY),
    ("doanvien", "Võ Thị Thu Hà", "bvndgd-khoa-noi", Role.MEMBER),
]


def _card_for_account(index: int) -> str:
    return f"7999{index:06d}"


def _create_tree(spec: UnitSpec, parent: Unit | None) -> None:
    unit = Unit.objects.filter(code=spec.code).first()
    if unit is None:
        values = {"code": spec.code, "name": spec.name, "kind": spec.kind, "sector": spec.sector}
        unit = Unit.objects.add_child(parent, values) if parent is not None else Unit.objects.add_root(values)
    for child in spec.children:
        _create_tree(child, Unit.objects.get(pk=unit.pk))


def _person(rng: random.Random, gender: Gender) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"


def _birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    # Youth Union age: 16 to 30; the union's members in offices and hospitals are mostly 22 to 30.
    return today - datetime.timedelta(days=rng.randint(22 * 365, 30 * 365))


def build_member(rng: random.Random, *, unit: Unit, serial: int, today: datetime.date) -> Member:
    gender = rng.choice([Gender.MALE, Gender.FEMALE, Gender.FEMALE])
    full_name = _person(rng, gender)
    birth_date = _birth_date(rng, today)
    is_union_member = rng.random() < 0.9
    joined = birth_date + datetime.timedelta(days=rng.randint(15 * 365, 18 * 365)) if is_union_member else None
    member = Member(
        unit=unit,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        is_union_member=is_union_member,
        card_number=f"79{serial:08d}" if is_union_member else "",
        joined_union_on=joined,
        position=rng.choice(POSITIONS[Sector(unit.sector)]),
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        email="",
        sort_name=sort_key_for_name(full_name),
        search_name=fold(full_name),
    )
    return member


@transaction.atomic
def load_demo(*, today: datetime.date | None = None, members_per_branch: int = 12) -> dict:
    """The demo tree, about 150 members, and the demo accounts. Safe to run again."""
    today = today or datetime.date.today()
    _create_tree(DEMO_TREE, None)
    User = get_user_model()
    created_members = 0
    # Demo data, seeded to come out the same every time.
    rng = random.Random(2026)  # nosec B311
    branches = list(Unit.objects.filter(kind=UnitKind.BRANCH, path__startswith=Unit.objects.get(code="thanh-doan").path))
    serial = 0
    for branch in branches:
        batch = []
        for _ in range(members_per_branch):
            serial += 1
            batch.append(build_member(rng, unit=branch, serial=serial, today=today))
        existing = set(Member.objects.filter(card_number__in=[m.card_number for m in batch if m.card_number])
                       .values_list("card_number", flat=True))
        if existing:
            # This branch was loaded before: its generated members are already there.
            continue
        Member.objects.bulk_create(batch)
        created_members += len(batch)

    admin, created = User.objects.get_or_create(username="admin", defaults={
        "is_staff": True, "is_superuser": True, "first_name": "Quản trị", "email": "admin@example.org"})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for index, (username, full_name, unit_code, role) in enumerate(DEMO_ACCOUNTS, start=1):
        # Vietnamese names read family name first; Django's get_full_name() puts first_name first.
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": full_name, "last_name": "", "email": f"{username}@example.org"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = Unit.objects.get(code=unit_code)
        if role == Role.MEMBER or unit.kind == UnitKind.BRANCH:
            # Secretaries are members of their own branch too.
            if not Member.objects.filter(user=user).exists():
                Member.objects.create(
                    user=user, unit=unit, full_name=full_name, gender=Gender.FEMALE if " Thị " in full_name
                    else Gender.MALE, birth_date=today.replace(year=today.year - 26), position="Bác sĩ",
                    card_number=_card_for_account(index),
                    email=user.email, phone="0909000000",
                )
        if role != Role.MEMBER:
            RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    return {"units": Unit.objects.count(), "members_created": created_members}


SCALE_SECTORS = [
    ("Đoàn Khối Cơ quan Thành phố", Sector.ADMINISTRATIVE),
    ("Đoàn Khối Y tế dự phòng", Sector.HEALTH),
    ("Đoàn Khối Bệnh viện thành phố", Sector.HEALTH),
    ("Đoàn Khối Quận – Huyện", Sector.ADMINISTRATIVE),
    ("Đoàn Khối Trung tâm Y tế", Sector.HEALTH),
]


def _child_units(parent: Unit, specs: list[tuple[str, str, UnitKind, Sector]], first_step: int) -> list[Unit]:
    """Units under one parent with their materialized paths computed here, for one bulk insert."""
    return [
        Unit(code=code, name=name, kind=kind, sector=sector, depth=parent.depth + 1, numchild=0,
             path=Unit._get_path(parent.path, parent.depth + 1, first_step + offset))
        for offset, (code, name, kind, sector) in enumerate(specs)
    ]


@transaction.atomic
def load_scale(*, sectors: int = 5, grassroots_per_sector: int = 20, branches_per_grassroots: int = 5,
               members_per_branch: int = 100, today: datetime.date | None = None) -> dict:
    """A city-sized tree under the demo city union, written with bulk inserts; skipped when present."""
    today = today or datetime.date.today()
    if Unit.objects.filter(code="scale-s01").exists():
        return {"units": Unit.objects.count(), "members_created": 0}
    root = Unit.objects.get(code=DEMO_TREE.code)
    # Demo data, seeded to come out the same every time.
    rng = random.Random(750_000)  # nosec B311
    sector_units = _child_units(root, [
        (f"scale-s{s:02d}", f"{SCALE_SECTORS[(s - 1) % len(SCALE_SECTORS)][0]} {s}", UnitKind.SECTOR,
         SCALE_SECTORS[(s - 1) % len(SCALE_SECTORS)][1])
        for s in range(1, sectors + 1)
    ], root.numchild + 1)
    for unit in sector_units:
        unit.numchild = grassroots_per_sector
    grassroots_units, branch_units = [], []
    for sector_unit in sector_units:
        grassroots = _child_units(sector_unit, [
            (f"{sector_unit.code}-g{g:02d}", f"Đoàn cơ sở {g} – {sector_unit.name}", UnitKind.GRASSROOTS,
             Sector(sector_unit.sector))
            for g in range(1, grassroots_per_sector + 1)
        ], 1)
        for grassroots_unit in grassroots:
            grassroots_unit.numchild = branches_per_grassroots
            branch_units.extend(_child_units(grassroots_unit, [
                (f"{grassroots_unit.code}-b{b:02d}", f"Chi đoàn {b} – {grassroots_unit.name}", UnitKind.BRANCH,
                 Sector(grassroots_unit.sector))
                for b in range(1, branches_per_grassroots + 1)
            ], 1))
        grassroots_units.extend(grassroots)
    Unit.objects.bulk_create(sector_units + grassroots_units + branch_units, batch_size=1000)
    Unit.objects.filter(pk=root.pk).update(numchild=root.numchild + len(sector_units))
    serial = 10_000_000
    batch: list[Member] = []
    created = 0
    for branch in Unit.objects.filter(code__startswith="scale-", kind=UnitKind.BRANCH).iterator():
        for _ in range(members_per_branch):
            serial += 1
            batch.append(build_member(rng, unit=branch, serial=serial, today=today))
        if len(batch) >= 5000:
            Member.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    Member.objects.bulk_create(batch)
    created += len(batch)
    return {"units": Unit.objects.count(), "members_created": created}
