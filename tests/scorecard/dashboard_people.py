"""The people of the dashboard tests, on the tiny bundle (examples/tiny): a reform manager and a
province administrator at the province, the leader of the city (district H1, which holds the
commune X1), officers of the commune, and a citizen."""

from __future__ import annotations

from lxml import html

from motcua.accounts.choices import Role
from motcua.orgs.models import Unit

ROOT, S1, H1, X1 = "000.00.00.H29", "000.00.01.H29", "000.00.21.H29", "000.01.21.H29"


def people(make) -> dict:
    root = Unit.objects.get(code=ROOT)
    return {
        "manager": make.user("quanly", unit=root, role=Role.REFORM_MANAGER),
        "admin": make.user("quantri", unit=root, role=Role.PROVINCE_ADMIN),
        "leader": make.user("lanhdao-thanhpho", unit=Unit.objects.get(code=H1), role=Role.UNIT_LEADER),
        "officer": make.user("canbo-xa", unit=Unit.objects.get(code=X1), role=Role.PROCESSING_OFFICER),
        "counter": make.user("motcua-xa", unit=Unit.objects.get(code=X1), role=Role.COUNTER_OFFICER),
        "citizen": make.citizen(),
    }


def page(response):
    """The parsed HTML of a response."""
    return html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())
