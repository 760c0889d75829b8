"""The demo: a year drawn from the shipped data, loaded through the import path, and today's
dossiers made through the services — with fact rows identical to what the services would write."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from motcua.catalog.services import load_catalog
from motcua.dossiers.choices import Source, Status
from motcua.dossiers.facts import refresh_facts
from motcua.dossiers.models import Dossier, DossierFact
from motcua.operations import demo_live, demo_year
from motcua.operations.demo_users import DEMO_CITIZEN, LIVE_COMMUNE, LIVE_DEPARTMENT, ensure_demo_users
from motcua.orgs.services import load_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def hatinh():
    load_units("42")
    load_catalog()
    ensure_demo_users()


def _facts():
    return {
        f.pk: {k: v for k, v in model_to_dict(f).items() if k != "updated_at"}
        for f in DossierFact.objects.order_by("pk")
    }


def test_demo_year_imports_with_the_facts_the_services_would_write(hatinh, tmp_path):
    summary = demo_year.ensure_year(dossiers=400)
    assert "400 hồ sơ năm 2023" in summary
    dossiers = Dossier.objects.filter(source=Source.IMPORT)
    assert dossiers.count() == 400
    assert dossiers.filter(received_at__year=2023).count() == 400
    channels = Counter(dossiers.values_list("channel", flat=True))
    assert channels["online"] > 0 and channels["counter"] > 0
    statuses = Counter(dossiers.values_list("status", flat=True))
    assert statuses[Status.RETURNED] > statuses[Status.PROCESSED] > 0
    # Every dossier was drawn at a unit of a level where its procedure is performed.
    for d in dossiers.select_related("unit", "procedure")[:100]:
        assert d.unit.level in d.procedure.levels
    imported = _facts()
    refresh_facts(list(imported))  # recompute every fact row from the stored rows, as the services do
    assert _facts() == imported
    assert demo_year.ensure_year(dossiers=400).startswith("đã có 400 hồ sơ")  # a second run keeps them


def test_todays_dossiers_are_made_through_the_services_in_every_state(hatinh):
    made = demo_live.ensure_live([LIVE_COMMUNE, LIVE_DEPARTMENT], DEMO_CITIZEN)
    assert made > 20
    live = Dossier.objects.filter(source=Source.MOTCUA)
    states = set(live.filter(unit__code=LIVE_COMMUNE).values_list("status", flat=True))
    assert {
        Status.NEW,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.WAITING_SUPPLEMENT,
        Status.PROCESSED,
        Status.RETURNED,
        Status.NOT_RECEIVED,
        Status.WITHDRAWN,
    } <= states
    assert live.filter(applicant__username=DEMO_CITIZEN, rating__isnull=False).exists()
    # Whatever the services did, a dossier is held by its open step's unit, else by its own unit.
    for unit, step_unit, held_by in live.values_list("unit", "current_step__unit", "held_by"):
        assert held_by == (step_unit or unit)
    assert demo_live.ensure_live([LIVE_COMMUNE, LIVE_DEPARTMENT], DEMO_CITIZEN) == 0
    call_command("audit", "verify")
