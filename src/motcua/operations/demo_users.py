"""The demo's users: one per role, in Hà Tĩnh's real units, created through the account services."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from motcua.accounts import services as accounts
from motcua.accounts.choices import Role
from motcua.accounts.models import User
from motcua.orgs.models import Unit

DEMO_PASSWORD = "HaTinh@2023"
LIVE_COMMUNE = "000.01.40.H29"  # UBND Phường Thành Sen, in force since 01/07/2025
LIVE_DEPARTMENT = "000.00.03.H29"  # Sở Tư pháp
DEMO_CITIZEN = "042090001234"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit_code: str | None  # None for citizens
    citizen_id: str | None = None
    tax_code: str | None = None
    organization_name: str = ""


DEMO_USERS = [
    DemoUser("quantri", "Trần Văn Quản", Role.PROVINCE_ADMIN, "000.00.00.H29"),
    DemoUser("cchc", "Nguyễn Thị Cải", Role.REFORM_MANAGER, "000.00.02.H29"),
    DemoUser("lanhdao.stp", "Phạm Văn Lãnh", Role.UNIT_LEADER, "000.00.03.H29"),
    DemoUser("motcua.stp", "Lê Thị Tiếp", Role.COUNTER_OFFICER, "000.00.03.H29"),
    DemoUser("xuly.stp", "Hoàng Văn Xử", Role.PROCESSING_OFFICER, "000.00.03.H29"),
    # The 2023 city (a district until 30/06/2025): its leader reads the 2023 scorecard of its communes.
    DemoUser("lanhdao.tphatinh", "Đặng Văn Thành", Role.UNIT_LEADER, "000.00.21.H29"),
    # Phường Thành Sen (from 01/07/2025; it took in Bắc Hà, Nam Hà, Trần Phú … of the 2023 city).
    DemoUser("motcua.thanhsen", "Võ Thị Hà", Role.COUNTER_OFFICER, LIVE_COMMUNE),
    DemoUser("xuly.thanhsen", "Bùi Văn Bắc", Role.PROCESSING_OFFICER, LIVE_COMMUNE),
    DemoUser("lanhdao.thanhsen", "Ngô Thị Lan", Role.UNIT_LEADER, LIVE_COMMUNE),
    DemoUser("042090001234", "Nguyễn Văn An", Role.CITIZEN, None, citizen_id="042090001234"),
    DemoUser(
        "3000123455",
        "Trương Thị Doanh",
        Role.CITIZEN,
        None,
        tax_code="3000123455",
        organization_name="Công ty TNHH Thương mại Hồng Lĩnh",
    ),
]


@transaction.atomic
def ensure_demo_users() -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing; return (user, created) pairs. Existing users are left as they are."""
    results = []
    for demo in DEMO_USERS:
        if User.objects.filter(username=demo.username).exists():
            results.append((demo, False))
            continue
        if demo.role == Role.CITIZEN:
            accounts.register_citizen(
                password=DEMO_PASSWORD,
                full_name=demo.full_name,
                citizen_id=demo.citizen_id,
                tax_code=demo.tax_code,
                organization_name=demo.organization_name,
                email=f"{demo.username}@example.vn",
            )
        else:
            unit = Unit.objects.get(code=demo.unit_code)
            user = accounts.create_official(
                demo.username,
                DEMO_PASSWORD,
                demo.full_name,
                unit,
                demo.role,
                None,
                email=f"{demo.username}@hatinh.gov.vn",
            )
            if demo.role == Role.PROVINCE_ADMIN:
                # The province administrator runs the back office (Django admin).
                User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        results.append((demo, True))
    return results
