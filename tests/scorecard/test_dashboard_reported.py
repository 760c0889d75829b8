"""Reported values through the pages: a unit leader enters a value with its evidence file, submits
it; a reform manager approves it (or sends it back), and the dashboard counts it."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.scorecard.models import ReportedValue, ReportStatus
from tests.scorecard import dashboard_people
from tests.scorecard.dashboard_people import H1, X1, page, text

PDF = b"%PDF-1.4\n% minh chung ke hoach CCHC\n"
QUERY = "?plan=hatinh-2023&period=2023"


@pytest.fixture
def people(tiny, make, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return dashboard_people.people(make)


def submit(client, **fields):
    data = {"indicator": "par_plan_issued", "unit": H1, "period": "2023", "action": "submit", **fields}
    return client.post(reverse("dashboard:report-value") + QUERY, data)


def review(client, reported, decision, note=""):
    return client.post(
        reverse("dashboard:review", args=[reported.pk]),
        {"decision": decision, "note": note, "plan": "hatinh-2023", "period": "2023"},
    )


@pytest.mark.django_db
def test_a_leader_reports_with_evidence_and_a_manager_approves(client, people):
    client.force_login(people["leader"])
    form = page(client.get(reverse("dashboard:report-value") + QUERY))
    assert form.xpath("//form[@id='reported-form'][@enctype='multipart/form-data']")
    # A leader reports for their units, not for the province as a whole.
    assert form.xpath("//select[@name='unit']/option/@value") == [H1, X1]
    indicators = form.xpath("//select[@name='indicator']/option/@value")
    assert "par_plan_issued" in indicators and "online_dossier_rate" not in indicators

    evidence = SimpleUploadedFile("ke-hoach-cchc.pdf", PDF, "application/pdf")
    response = submit(
        client, value="1", evidence="Kế hoạch số 12/KH-UBND ngày 10/01/2023", evidence_file=evidence
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:reported") + QUERY
    reported = ReportedValue.objects.get(indicator="par_plan_issued", unit__code=H1)
    assert (reported.status, reported.value, reported.submitted_by) == (
        ReportStatus.SUBMITTED,
        Decimal(1),
        people["leader"],
    )
    assert reported.evidence_file.original_name == "ke-hoach-cchc.pdf"

    listing = page(client.get(reverse("dashboard:reported") + QUERY))
    row = listing.xpath(f"//tr[@data-reported-id='{reported.pk}']")[0]
    assert row.get("data-status") == "submitted"
    assert row.xpath(".//form[contains(@class, 'review-form')]") == []  # leaders do not review
    assert review(client, reported, "approve").status_code == 403

    client.force_login(people["manager"])
    listing = page(client.get(reverse("dashboard:reported") + QUERY))
    row = listing.xpath(f"//tr[@data-reported-id='{reported.pk}']")[0]
    assert row.xpath(".//button[@value='approve']") and row.xpath(".//button[@value='send_back']")
    download = client.get(row.xpath(".//a[@data-evidence]/@href")[0])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    response = review(client, reported, "approve", "Đúng minh chứng")
    assert response.status_code == 302
    reported.refresh_from_db()
    assert (reported.status, reported.reviewed_by, reported.review_note) == (
        ReportStatus.APPROVED,
        people["manager"],
        "Đúng minh chứng",
    )
    assert AuditEvent.objects.filter(action="scorecard.value_approved").count() == 1

    # The dashboard counts it: the city reported 1, so its row and the province's read 100%.
    home = page(client.get(reverse("dashboard:home") + QUERY + f"&scope=unit:{H1}"))
    unit_cell = home.xpath(
        f"//tr[@data-indicator='par_plan_issued']/td[@data-scope='unit'][@data-key='{H1}']"
    )[0]
    province_cell = home.xpath("//tr[@data-indicator='par_plan_issued']/td[@data-scope='province']")[0]
    assert (unit_cell.get("data-value"), unit_cell.get("data-state")) == ("100.00", "met")
    assert province_cell.get("data-value") == "100.00"


@pytest.mark.django_db
def test_a_manager_sends_a_value_back_with_a_reason_and_the_unit_corrects_it(client, people):
    client.force_login(people["leader"])
    submit(client, numerator="3", denominator="4", indicator="units_inspected", unit=X1)
    reported = ReportedValue.objects.get(indicator="units_inspected")
    assert reported.value == Decimal(75)

    client.force_login(people["manager"])
    response = review(client, reported, "send_back")
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.status == ReportStatus.SUBMITTED  # no reason, nothing changed
    messages = text(
        page(client.get(reverse("dashboard:reported") + QUERY)).xpath("//div[@class='messages']")[0]
    )
    assert "Cần ghi lý do trả lại" in messages

    review(client, reported, "send_back", "Thiếu danh sách đơn vị được kiểm tra")
    reported.refresh_from_db()
    assert reported.status == ReportStatus.RETURNED

    client.force_login(people["leader"])
    row = page(client.get(reverse("dashboard:reported") + QUERY)).xpath(
        f"//tr[@data-reported-id='{reported.pk}']"
    )[0]
    assert "Thiếu danh sách đơn vị được kiểm tra" in text(row)
    edit = page(client.get(row.xpath(".//a[contains(@href, 'edit=')]/@href")[0]))
    assert edit.xpath("//input[@name='numerator']/@value") == ["3"]
    submit(client, numerator="3", denominator="5", indicator="units_inspected", unit=X1)
    reported.refresh_from_db()
    assert (reported.status, reported.value) == (ReportStatus.SUBMITTED, Decimal(60))


@pytest.mark.django_db
def test_a_draft_is_kept_without_review_and_decimals_read_the_vietnamese_way(client, people):
    client.force_login(people["manager"])
    response = submit(client, indicator="initiatives", unit="", value="1.234,5", action="draft")
    assert response.status_code == 302
    reported = ReportedValue.objects.get(indicator="initiatives", unit__isnull=True)
    assert (reported.status, reported.value) == (ReportStatus.DRAFT, Decimal("1234.5"))


@pytest.mark.django_db
def test_mistakes_come_back_on_the_form_and_nothing_is_stored(client, people):
    client.force_login(people["leader"])
    response = submit(client, value="5")  # a yes/no indicator takes 1 or 0
    assert response.status_code == 200
    form = page(response)
    assert "giá trị là 1 (có) hoặc 0 (không)" in text(form.xpath("//div[contains(@class, 'invalid')]")[0])
    response = submit(
        client, value="1", evidence_file=SimpleUploadedFile("a.txt", b"khong phai pdf", "text/plain")
    )
    assert "Loại tệp không được chấp nhận" in text(page(response).xpath("//div[@class='error-summary']")[0])
    # The province as a whole is for province-wide roles only.
    response = submit(client, value="1", unit="")
    assert response.status_code == 200
    assert not ReportedValue.objects.exists()


@pytest.mark.django_db
def test_evidence_is_not_served_to_readers_who_cannot_see_the_value(client, people, make):
    client.force_login(people["leader"])
    submit(client, value="1", evidence_file=SimpleUploadedFile("kh.pdf", PDF, "application/pdf"))
    reported = ReportedValue.objects.get()
    from motcua.accounts.choices import Role
    from motcua.orgs.models import Unit

    other = make.user("lanhdao-so", unit=Unit.objects.get(code="000.00.01.H29"), role=Role.UNIT_LEADER)
    client.force_login(other)
    url = reverse("dashboard:evidence", args=[reported.pk]) + "?plan=hatinh-2023"
    assert client.get(url).status_code == 404
