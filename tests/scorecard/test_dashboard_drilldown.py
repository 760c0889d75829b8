"""From a number to the dossiers behind it: the drill-down page lists exactly the codes of
engine.drill_codes, page by page, each linked to the dossier (or procedure)."""

import pytest
from django.urls import reverse

from motcua.scorecard import dashboard, engine, services
from motcua.scorecard.models import IndicatorResult
from tests.scorecard import dashboard_people
from tests.scorecard.dashboard_people import H1, page, text


@pytest.fixture
def people(tiny, make):
    return dashboard_people.people(make)


def listed(client, url):
    """Every code the page lists, following its pager."""
    codes, links = [], []
    while url:
        doc = page(client.get(url))
        codes += doc.xpath("//table[@id='drill-codes']//tr/@data-code")
        links += doc.xpath("//table[@id='drill-codes']//a/@href")
        following = doc.xpath("//nav[@class='pager']//a[@rel='next']/@href")
        url = following[0] if following else None
    return codes, links


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("plan", "indicator", "scope", "key"),
    [
        ("hatinh-2023", "on_time_rate", "province", "42"),
        ("hatinh-2023", "online_payment_rate", "level", "district"),
        ("hatinh-2023", "digitized_results", "unit", H1),
        ("qd766", "tttt_fee_used", "province", "42"),
        ("hatinh-2023", "online_full_coverage", "province", "42"),
    ],
)
def test_the_drill_down_lists_exactly_the_engines_codes(
    client, people, monkeypatch, plan, indicator, scope, key
):
    monkeypatch.setattr(dashboard, "DRILL_PAGE_SIZE", 2)  # several pages from the tiny bundle
    client.force_login(people["manager"])
    services.current_results(plan, "2023")
    found = engine.drilldown(plan, "2023", indicator, scope, key)
    stored = IndicatorResult.objects.get(
        plan__code=plan, period="2023", indicator=indicator, scope=scope, key=key
    )
    base = (
        reverse("dashboard:drilldown")
        + f"?plan={plan}&period=2023&indicator={indicator}&scope={scope}&key={key}"
    )
    for name, q, number in (
        ("numerator", found.numerator, stored.numerator),
        ("denominator", found.denominator, stored.denominator),
    ):
        expected = list(engine.drill_codes(found.kind, q))
        assert len(expected) == number
        codes, links = listed(client, f"{base}&list={name}")
        assert codes == expected
        assert len(links) == len(codes)
    doc = page(client.get(base))
    counts = {a.get("data-list"): int(a.get("data-count")) for a in doc.xpath("//a[@data-list]")}
    assert counts == {"numerator": stored.numerator, "denominator": stored.denominator}


@pytest.mark.django_db
def test_dossier_codes_link_to_the_officers_dossier_page(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:drilldown") + "?indicator=on_time_rate&scope=province&key=42"))
    first = doc.xpath("//table[@id='drill-codes']/tbody/tr[1]")[0]
    code = first.get("data-code")
    assert first.xpath(".//a/@href") == [reverse("web:office-dossier", args=[code])]


@pytest.mark.django_db
def test_a_formula_indicator_lists_each_rate(client, people):
    client.force_login(people["manager"])
    doc = page(
        client.get(
            reverse("dashboard:drilldown")
            + "?plan=qd766&period=2023&indicator=mdhl_satisfaction&scope=province&key=42"
        )
    )
    names = doc.xpath("//a[@data-list]/@data-list")
    assert names == [
        "rate1_handled_numerator",
        "rate1_handled_denominator",
        "rate2_received_numerator",
        "rate2_received_denominator",
    ]
    assert "Tỷ lệ 1 (hồ sơ phải giải quyết): tử số" in text(doc)


@pytest.mark.django_db
def test_numbers_on_the_overview_link_to_their_drill_down(client, people):
    client.force_login(people["manager"])
    doc = page(client.get(reverse("dashboard:home")))
    link = doc.xpath(
        "//tr[@data-indicator='on_time_rate']/td[@data-scope='level'][@data-key='commune']//a/@href"
    )[0]
    assert "indicator=on_time_rate" in link and "scope=level" in link and "key=commune" in link
    # Reported indicators have no dossiers behind them: no link.
    assert doc.xpath("//tr[@data-indicator='par_plan_issued']//a[@data-drill]") == []


@pytest.mark.django_db
def test_an_unknown_indicator_is_not_found(client, people):
    client.force_login(people["manager"])
    response = client.get(reverse("dashboard:drilldown") + "?indicator=khong_co&scope=province&key=42")
    assert response.status_code == 404
