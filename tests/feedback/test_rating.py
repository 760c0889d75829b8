"""The applicant rates a dossier once, after its result was returned."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Rating, Status
from motcua.dossiers.models import DossierFact
from motcua.errors import Forbidden, InvalidInput, StateError
from motcua.feedback import services


@pytest.mark.django_db
def test_the_applicant_rates_a_returned_dossier(office):
    dossier = office.dossier(Status.RETURNED)

    rating = services.rate(office.citizen, dossier, Rating.VERY_SATISFIED, "  Cán bộ hướng dẫn tận tình.  ")

    assert rating.value == "very_satisfied" and rating.comment == "Cán bộ hướng dẫn tận tình."
    assert rating.rated_by == office.citizen and rating.rated_at
    assert DossierFact.objects.get(dossier=dossier).rating == "very_satisfied"
    event = AuditEvent.objects.get(action="feedback.rated")
    assert event.actor_id == office.citizen.pk and event.after["value"] == "very_satisfied"


@pytest.mark.django_db
def test_only_the_applicant_may_rate(office):
    dossier = office.dossier(Status.RETURNED)

    for other in (office.stranger, office.counter, office.leader):
        with pytest.raises(Forbidden):
            services.rate(other, dossier, Rating.DISSATISFIED)
    assert not hasattr(dossier, "rating") or dossier.rating is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.PROCESSED, Status.WITHDRAWN])
def test_a_dossier_is_rated_only_after_its_result_was_returned(office, status):
    with pytest.raises(StateError, match="sau khi đã nhận kết quả"):
        services.rate(office.citizen, office.dossier(status), Rating.SATISFIED)


@pytest.mark.django_db
def test_a_dossier_is_rated_only_once(office):
    dossier = office.dossier(Status.RETURNED)
    services.rate(office.citizen, dossier, Rating.SATISFIED)

    with pytest.raises(StateError, match="Hồ sơ đã được đánh giá"):
        services.rate(office.citizen, dossier, Rating.DISSATISFIED)

    assert DossierFact.objects.get(dossier=dossier).rating == "satisfied"


@pytest.mark.django_db
def test_an_unknown_rating_or_an_overlong_comment_is_refused(office):
    dossier = office.dossier(Status.RETURNED)
    with pytest.raises(InvalidInput) as bad_value:
        services.rate(office.citizen, dossier, "excellent")
    with pytest.raises(InvalidInput) as long_comment:
        services.rate(office.citizen, dossier, Rating.SATISFIED, "x" * (services.COMMENT_MAX + 1))

    assert bad_value.value.field == "value" and long_comment.value.field == "comment"


@pytest.mark.django_db
def test_the_rating_api_answers_201_then_409(client, office):
    dossier = office.dossier(Status.RETURNED)
    client.force_login(office.citizen)
    url = f"/api/feedback/dossiers/{dossier.code}/rating"

    assert client.get(url).status_code == 404
    first = client.post(url, {"value": "satisfied", "comment": "Nhanh"}, content_type="application/json")
    second = client.post(url, {"value": "satisfied"}, content_type="application/json")

    assert first.status_code == 201 and first.json()["value"] == "satisfied"
    assert second.status_code == 409 and second.json()["detail"] == "Hồ sơ đã được đánh giá."
    assert client.get(url).json()["comment"] == "Nhanh"


@pytest.mark.django_db
def test_the_rating_api_validates_and_scopes(client, office):
    dossier = office.dossier(Status.RETURNED)
    url = f"/api/feedback/dossiers/{dossier.code}/rating"

    assert client.post(url, {"value": "satisfied"}, content_type="application/json").status_code == 401
    client.force_login(office.citizen)
    assert client.post(url, {"value": "wow"}, content_type="application/json").status_code == 422
    client.force_login(office.stranger)
    assert client.post(url, {"value": "satisfied"}, content_type="application/json").status_code == 404
    client.force_login(office.counter)
    assert client.post(url, {"value": "satisfied"}, content_type="application/json").status_code == 403
