"""Who may open the dashboard: unit leaders, reform managers and province administrators. Others
get the 403 page in the site's layout; signed out, the sign-in page. A leader sees their units."""

import pytest
from django.urls import reverse

from tests.scorecard import dashboard_people
from tests.scorecard.dashboard_people import H1, S1, X1, page

PAGES = [
    reverse("dashboard:home"),
    reverse("dashboard:trends"),
    reverse("dashboard:units"),
    reverse("dashboard:indicator", args=["on_time_rate"]),
    reverse("dashboard:drilldown") + "?indicator=on_time_rate&scope=province&key=42",
    reverse("dashboard:reported"),
    reverse("dashboard:report-value"),
    reverse("dashboard:export", args=["xlsx"]),
    reverse("dashboard:export", args=["docx"]),
]


@pytest.fixture
def people(tiny, make):
    return dashboard_people.people(make)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, people, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["citizen", "officer", "counter"])
@pytest.mark.parametrize("url", PAGES)
def test_citizens_and_officers_without_a_leading_role_get_403_in_the_site_layout(client, people, who, url):
    client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Không có quyền truy cập" in body
    assert "Bảng theo dõi cải cách hành chính dành cho lãnh đạo đơn vị" in body
    assert 'class="site-header"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "admin", "leader"])
@pytest.mark.parametrize("url", PAGES)
def test_leaders_managers_and_administrators_open_every_page(client, people, who, url):
    client.force_login(people[who])
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_superuser_opens_the_dashboard(client, tiny, make):
    client.force_login(make.user("root", is_superuser=True, is_staff=True))
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_a_unit_leader_sees_their_units_and_the_aggregates_only(client, people):
    client.force_login(people["leader"])
    units = page(client.get(reverse("dashboard:units")))
    assert units.xpath("//table[@id='units-table']/tbody/tr/@data-unit") == [H1, X1]
    home = page(client.get(reverse("dashboard:home") + f"?scope=unit:{S1}"))
    # A unit outside their subtree cannot be chosen: the form refuses it, the province is shown.
    assert home.xpath(f"//select[@name='scope']//option[@value='unit:{S1}']") == []
    assert home.xpath(f"//select[@name='scope']//option[@value='unit:{X1}']") != []
    assert {c.get("data-scope") for c in home.xpath("//table[@id='targets-table']//td")} == {
        "province",
        "level",
    }


@pytest.mark.django_db
def test_a_unit_leader_cannot_drill_into_another_units_dossiers(client, people):
    client.force_login(people["leader"])
    url = reverse("dashboard:drilldown") + f"?indicator=on_time_rate&scope=unit&key={S1}"
    assert client.get(url).status_code == 403
    url = reverse("dashboard:drilldown") + f"?indicator=on_time_rate&scope=unit&key={X1}"
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_navigation_links_the_dashboard_for_its_readers_only(client, people):
    client.force_login(people["manager"])
    links = page(client.get(reverse("dashboard:home"))).xpath("//nav[@class='main-nav']//a/@href")
    assert reverse("dashboard:home") in links
    client.force_login(people["officer"])
    links = page(client.get(reverse("web:queue"))).xpath("//nav[@class='main-nav']//a/@href")
    assert reverse("dashboard:home") not in links
