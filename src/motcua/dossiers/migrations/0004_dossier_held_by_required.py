import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_dossier_held_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="held_by",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["held_by", "status"], name="dossier_held_by_status"),
        ),
    ]
