"""Dossier.held_by: the unit holding the dossier now (its current step's unit, else its own),
filled for the dossiers already stored. Made NOT NULL and indexed in 0004, apart: on PostgreSQL
the update leaves deferred foreign-key checks pending, and a table with pending checks cannot be
altered in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE dossiers_dossier SET held_by_id = COALESCE(
    (SELECT s.unit_id FROM dossiers_dossierstep s WHERE s.id = dossiers_dossier.current_step_id),
    unit_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_lifecycle"),
        ("orgs", "0002_unit_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="held_by",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
