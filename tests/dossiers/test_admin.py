"""The back office shows dossiers but never edits them (changes go through the services)."""

from motcua.dossiers.models import Dossier
from tests import factories


def test_the_admin_shows_a_dossier_read_only(world, client):
    dossier = world.receive()
    client.force_login(factories.user(is_staff=True, is_superuser=True))

    assert client.get("/admin/dossiers/dossier/").status_code == 200
    page = client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/")
    assert page.status_code == 200 and dossier.code in page.content.decode()
    client.post(f"/admin/dossiers/dossier/{dossier.pk}/change/", {"status": "returned"})
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    assert client.get("/admin/documents/storedfile/").status_code == 200
