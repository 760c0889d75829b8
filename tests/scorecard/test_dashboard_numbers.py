"""The dashboard shows the stored results, in Vietnamese number format, and reads them in a fixed
number of queries whatever the number of units."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from motcua.catalog.models import Procedure
from motcua.dossiers.facts import refresh_facts
from motcua.orgs.models import Unit
from motcua.scorecard import formatting, services
from motcua.scorecard.models import IndicatorResult
from tests.scorecard import dashboard_people
from tests.scorecard.bundle_loader import load_dossiers, read_bundle, stamp
from tests.scorecard.dashboard_people import H1, X1, page, text


@pytest.fixture
def people(tiny, make):
    return dashboard_people.people(make)


def stored(plan, period, **filters):
    return IndicatorResult.objects.filter(plan__code=plan, period=period, **filters)


def test_numbers_read_the_vietnamese_way():
    with translation.override("vi"):
        assert formatting.number(Decimal("1234.5")) == "1.234,5"
        assert formatting.number(Decimal("1234567.125")) == "1.234.567,13"
        assert formatting.number(Decimal("62.50")) == "62,5"
        assert formatting.number(100.0) == "100"
        assert formatting.measure(Decimal("71.43")) == "71,43%"
        assert formatting.target_text(Decimal("20"), "<=", "rank") == "≤ 20"
        assert formatting.number(None) == "–"
    with translation.override("en"):
        assert formatting.number(Decimal("1234.5")) == "1,234.5"


def test_periods_dates_and_the_document_date_line():
    from motcua.scorecard.periods import Period

    assert formatting.period_label(Period.parse("2023-Q2")) == "Quý II/2023"
    assert formatting.period_label(Period.parse("2023-05")) == "Tháng 5/2023"
    assert formatting.period_label(Period.parse("2023")) == "Năm 2023"
    assert formatting.moment(dt.datetime(2024, 1, 15, 3, 0, tzinfo=dt.UTC)) == "15/01/2024 10:00"
    # Decree 30/2020: a 0 before days under 10 and months under 3 only.
    assert formatting.document_date("Hà Tĩnh", dt.date(2026, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2026"
    assert formatting.document_date("Hà Tĩnh", dt.date(2026, 11, 27)) == "Hà Tĩnh, ngày 27 tháng 11 năm 2026"
    assert formatting.document_date("Hà Tĩnh", dt.date(2026, 4, 9)) == "Hà Tĩnh, ngày 09 tháng 4 năm 2026"


@pytest.mark.django_db
def test_the_targets_table_shows_every_stored_province_and_level_row(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home") + "?plan=hatinh-2023&period=2023"))
    rows = stored("hatinh-2023", "2023", scope__in=["province", "level"])
    assert rows.count() > 20
    for row in rows:
        cells = doc.xpath(
            f"//table[@id='targets-table']//tr[@data-indicator='{row.indicator}']"
            f"/td[@data-scope='{row.scope}'][@data-key='{row.key}']"
        )
        assert len(cells) == 1, (row.indicator, row.scope, row.key)
        cell = cells[0]
        assert Decimal(cell.get("data-value")) == row.value
        figure = text(cell.xpath(".//span[@class='figure']")[0])
        assert figure == formatting.number(row.value) + "%"
        assert f"{formatting.number(row.numerator)}/{formatting.number(row.denominator)}" in text(cell)
        state = {True: "met", False: "missed", None: "tracked"}[row.met]
        assert cell.get("data-state") == state  # 2023 is closed at the tiny bundle's as_of


@pytest.mark.django_db
def test_values_show_with_vietnamese_separators(client, people):
    reported = services.report_value(
        actor=people["manager"],
        plan_code="hatinh-2023",
        indicator="initiatives",
        period="2023",
        value="1234,5",
    )
    services.approve(actor=people["manager"], reported_id=reported.pk)
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home")))
    cell = doc.xpath("//tr[@data-indicator='initiatives']/td[@data-scope='province']")[0]
    assert text(cell.xpath(".//span[@class='figure']")[0]) == "1.234,5"
    assert "Mục tiêu ≥ 3" in text(cell)
    assert cell.get("data-state") == "met"


@pytest.mark.django_db
def test_a_units_column_appears_when_a_unit_is_chosen(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home") + f"?scope=unit:{X1}"))
    headers = doc.xpath("//table[@id='targets-table']/thead//th/@data-scope")
    assert headers == ["province", "level", "unit"]
    row = stored("hatinh-2023", "2023", indicator="on_time_rate", scope="unit", key=X1).get()
    cell = doc.xpath(f"//tr[@data-indicator='on_time_rate']/td[@data-scope='unit'][@data-key='{X1}']")[0]
    assert Decimal(cell.get("data-value")) == row.value


@pytest.mark.django_db
def test_the_766_index_shows_points_by_group_and_the_stored_total(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home") + "?plan=qd766&period=2023"))
    total = stored("qd766", "2023", indicator="total", scope="province").get()
    assert Decimal(doc.xpath("//*[@id='index-total']/@data-value")[0]) == total.value
    assert formatting.number(total.points) in text(doc.xpath("//*[@id='index-total']")[0])
    groups = {
        tr.get("data-group"): [text(td) for td in tr.xpath("td[@class='num']")]
        for tr in doc.xpath("//table[@id='groups-table']//tr[@data-group]")
    }
    assert list(groups) == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "total"]
    # TDGQ is one indicator: its group shows its stored points and maximum.
    tdgq = stored("qd766", "2023", indicator="tdgq_on_time", scope="province").get()
    assert groups["TDGQ"][:2] == [formatting.number(tdgq.points), formatting.number(tdgq.max_points)]
    assert groups["total"][:2] == [formatting.number(total.points), formatting.number(total.max_points)]
    # The chart has its specification, and the table stands in for it.
    assert doc.xpath("//script[@id='spec-groups'][@type='application/json']")
    assert doc.xpath("//div[@id='chart-groups'][@role='img'][@aria-label]")
    # Catalog indicators count with the province's row, as in the totals.
    assert doc.xpath("//table[@id='targets-table']//tr[@data-indicator='ckmb_announced_on_time']/@data-value")


@pytest.mark.django_db
def test_a_running_period_judges_rows_with_their_trend(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home") + "?plan=hatinh-2023&period=2024-01"))
    assert "Kỳ đang diễn ra" in text(doc.xpath("//*[@id='dashboard-as-of']")[0])
    states = set(doc.xpath("//table[@id='targets-table']//td/@data-state"))
    assert states <= {"met", "at_risk", "missed", "tracked"}
    # Online dossiers of full-process procedures: 100% in January against 60%, so met.
    cell = doc.xpath("//tr[@data-indicator='online_dossier_rate']/td[@data-scope='province']")[0]
    assert cell.get("data-state") == "met"


@pytest.mark.django_db
def test_units_at_a_glance_count_each_units_states(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:units")))
    row = doc.xpath(f"//tr[@data-unit='{X1}']")[0]
    unit_rows = stored("hatinh-2023", "2023", scope="unit", key=X1)
    met = unit_rows.filter(met=True).count()
    missed = unit_rows.filter(met=False).count()
    assert text(row.xpath("td[@data-count='met']")[0]) == str(met)
    assert text(row.xpath("td[@data-count='missed']")[0]) == str(missed)


@pytest.mark.django_db
def test_rankings_sort_on_the_server_by_any_column(client, people):
    client.force_login(people["manager"])
    base = reverse("dashboard:indicator", args=["total"]) + "?plan=qd766&period=2023&level=commune"
    doc = page(client.get(base))
    assert doc.xpath("//table[@id='ranking']//tr/@data-unit") == [X1]
    url = (
        reverse("dashboard:indicator", args=["on_time_rate"]) + "?plan=hatinh-2023&period=2023&level=province"
    )
    ranking = page(client.get(url))
    assert ranking.xpath("//table[@id='ranking']/thead//th[@data-sort='rank']/@aria-sort") == ["ascending"]
    # Every header is a link (keyboard reachable, no JavaScript needed).
    links = ranking.xpath("//table[@id='ranking']/thead//th/a/@href")
    assert len(links) == 7 and all("sort=" in link for link in links)
    by_name = page(client.get(url + "&sort=name&dir=desc"))
    assert by_name.xpath("//table[@id='ranking']/thead//th[@data-sort='name']/@aria-sort") == ["descending"]
    names = [text(th) for th in by_name.xpath("//table[@id='ranking']/tbody/tr/th")]
    assert names == sorted(names, reverse=True)


@pytest.mark.django_db
def test_the_units_table_sorts_by_missed_targets(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:units") + "?sort=missed&dir=desc"))
    counts = [
        int(text(td)) for td in doc.xpath("//table[@id='units-table']/tbody/tr/td[@data-count='missed']")
    ]
    assert counts == sorted(counts, reverse=True) and len(counts) == 3


@pytest.mark.django_db
def test_monthly_trends_chart_each_indicator_with_a_table(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:trends") + "?plan=hatinh-2023&period=2023"))
    section = doc.xpath("//section[@data-indicator='on_time_rate']")[0]
    months = section.xpath(".//table[@class='months']//td/@data-month")
    assert months == [f"2023-{m:02d}" for m in range(1, 13)]
    for month in ("2023-03", "2023-10"):
        row = stored("hatinh-2023", month, indicator="on_time_rate", scope="province").first()
        cell = section.xpath(f".//td[@data-month='{month}']")[0]
        assert text(cell) == (formatting.measure(row.value) if row else "–")
    import json

    spec = json.loads(doc.xpath("//script[@id='spec-online_dossier_rate']")[0].text)
    rule = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rule[0]["encoding"]["y"]["datum"] == 60.0
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def _grow(n):
    """n more commune units under the city, each with copies of the tiny bundle's dossiers."""
    _manifest, _units, _procedures, records = read_bundle()
    procedures = {p.code: p for p in Procedure.objects.all()}
    city = Unit.objects.get(code=H1)
    new_units = {}
    for i in range(n):
        unit = Unit.objects.create(
            code=f"G.{i:03d}", name=f"UBND xã thêm {i}", kind="people_committee", level="commune", parent=city
        )
        new_units[unit.code] = unit
    copies = []
    for code in new_units:
        for record in records[:6]:
            copies.append({**record, "code": f"{code}-{record['code']}", "unit": code})
    refresh_facts(load_dossiers(copies, new_units, procedures))
    services.set_data_as_of(stamp("2024-01-15T10:00:00+07:00"))


def _queries(client, url):
    client.get(url)  # results computed and stored here if needed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard:home") + "?plan=hatinh-2023&period=2023",
        reverse("dashboard:home") + "?plan=hatinh-2023&period=2024-01",
        reverse("dashboard:home") + "?plan=qd766&period=2023",
        reverse("dashboard:units") + "?plan=qd766&period=2023",
        reverse("dashboard:indicator", args=["on_time_rate"]) + "?level=commune",
        reverse("dashboard:trends") + "?plan=qd766&period=2023",
        reverse("dashboard:drilldown") + "?indicator=on_time_rate&scope=level&key=commune",
        reverse("dashboard:reported"),
    ],
)
def test_pages_read_a_fixed_number_of_queries_whatever_the_number_of_units(
    client, people, url, django_assert_max_num_queries
):
    client.force_login(people["manager"])
    small = _queries(client, url)
    _grow(12)
    large = _queries(client, url)
    assert large == small
    with django_assert_max_num_queries(60):
        client.get(url)


@pytest.mark.django_db
def test_the_cards_count_each_columns_states(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home") + "?plan=hatinh-2023&period=2023"))
    cards = doc.xpath("//div[contains(@class, 'state-summary')]/div")
    assert [text(card.xpath("h3")[0]) for card in cards] == ["Toàn tỉnh", "Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    province = stored("hatinh-2023", "2023", scope="province")
    expected = {
        "met": province.filter(met=True).count(),
        "missed": province.filter(met=False).count(),
        "tracked": province.filter(met__isnull=True).count(),
        "at_risk": 0,
    }
    counts = {span.get("data-count"): int(text(span).split(": ")[1]) for span in cards[0].xpath(".//span")}
    assert counts == expected
