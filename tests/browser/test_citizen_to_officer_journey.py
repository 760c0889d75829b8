"""What people click: a citizen files online, the counter accepts it and prints the receipt, the
officers process it, the leader approves, the citizen pays through the simulator bank, the counter
returns the result, the citizen rates it, and the reform dashboard's numbers move accordingly."""

import re

import pytest
from django.utils import timezone

from motcua.scorecard.services import load_plans
from tests.browser.conftest import screenshot
from tests.web.world import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def _act(page, action: str, button: str | None = None) -> None:
    """Open an action's panel on a dossier page and press its button."""
    panel = page.locator(f"#action-{action}")
    panel.locator("summary").click()
    (panel.get_by_role("button", name=button) if button else panel.locator("button[type=submit]")).click()


def _message(page) -> str:
    return page.locator(".messages").inner_text()


def _province_cell(page, indicator: str) -> str:
    """The text of the province column of an indicator's row in the dashboard's targets table."""
    return " ".join(
        page.locator(f"#targets-table tr[data-indicator={indicator}] td").first.inner_text().split()
    )


def test_an_online_dossier_from_submission_to_rating(site):
    world = site.world
    load_plans()
    month = f"{timezone.localdate():%Y-%m}"
    dashboard = f"/dashboard/?plan=hatinh-2023&period={month}"

    # Before: the reform manager's dashboard has no dossier of this month.
    manager = site.open(world.reform)
    manager.goto(dashboard)
    assert _province_cell(manager, "satisfaction") == "–"
    assert _province_cell(manager, "online_payment_rate") == "–"

    # The citizen finds the procedure by typing without accents and files it online.
    citizen = site.open(world.citizen)
    citizen.goto("/")
    citizen.get_by_label("Tìm thủ tục").fill("chung thuc ban sao")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    citizen.get_by_role("link", name="Chứng thực bản sao từ bản chính giấy tờ, văn bản").click()
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    citizen.get_by_label("Số điện thoại").fill("0912345678")
    citizen.locator("#id_c1_file").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF + b"to khai"}]
    )
    # The ID card is reused from the data store: already chosen.
    assert citizen.locator("#id_c2_source_0").is_checked()
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    assert "Đã nộp hồ sơ" in _message(citizen)
    code = re.search(r"Hồ sơ (\S+)", citizen.locator("h1").inner_text()).group(1)
    assert "Mới đăng ký" in citizen.locator("#dossier-facts").inner_text()

    # The counter officer accepts it from the queue and prints form 01.
    counter = site.open(world.counter)
    counter.goto("/office/")
    counter.get_by_role("link", name=code).click()
    _act(counter, "accept_online", "Tiếp nhận hồ sơ")
    assert "Đã tiếp nhận hồ sơ" in _message(counter)
    receipt_href = counter.get_by_role("link", name=re.compile("Mẫu 01")).get_attribute("href")
    receipt = counter.context.request.get(receipt_href)
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    _act(counter, "complete_step", "Hoàn thành bước")
    assert "Đã hoàn thành bước “Tiếp nhận hồ sơ”" in _message(counter)

    # The processing officer completes the appraisal; the leader approves.
    processor = site.open(world.processor)
    processor.goto("/office/")
    processor.get_by_role("link", name=code).click()
    _act(processor, "complete_step", "Hoàn thành bước")
    assert "Đã hoàn thành bước “Thẩm định hồ sơ”" in _message(processor)
    leader = site.open(world.leader)
    leader.goto(f"/office/dossiers/{code}/")
    _act(leader, "approve", "Phê duyệt")
    assert "Đã phê duyệt hồ sơ" in _message(leader)

    # The citizen pays the fee online through the simulator bank and comes back.
    citizen.goto(f"/dossiers/{code}/")
    _act(citizen, "pay_online", "Thanh toán trực tuyến")
    assert "Cổng thanh toán mô phỏng" in citizen.title()
    citizen.get_by_role("button", name="Thanh toán", exact=True).click()
    citizen.wait_for_url(re.compile(f"/dossiers/{re.escape(code)}/"))
    assert "Thanh toán thành công" in _message(citizen)

    # The counter hands the result back; the citizen downloads it and rates the service.
    counter.goto(f"/office/dossiers/{code}/")
    _act(counter, "return_result", "Trả kết quả")
    assert "Đã trả kết quả" in _message(counter)
    citizen.goto(f"/dossiers/{code}/")
    assert citizen.get_by_role("link", name="Tải tệp kết quả").is_visible()
    panel = citizen.locator("#action-rate")
    panel.locator("summary").click()
    panel.get_by_label("Rất hài lòng").check()
    panel.get_by_label("Ý kiến (không bắt buộc)").fill("Nhanh gọn")
    panel.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn bạn đã đánh giá." in _message(citizen)
    assert "Đã trả kết quả" in citizen.locator("#dossier-facts").inner_text()
    screenshot(citizen, "dossier")

    # After: the month's scorecard counts the rated dossier, satisfied, and its online payment.
    manager.goto(dashboard)
    satisfaction = _province_cell(manager, "satisfaction")
    assert "100%" in satisfaction.replace(" ", "").replace(",00", "") and "1/1" in satisfaction
    assert "1/1" in _province_cell(manager, "online_payment_rate")
    screenshot(manager, "dashboard")
