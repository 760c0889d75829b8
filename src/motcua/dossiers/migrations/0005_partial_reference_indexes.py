"""Full single-column indexes of references most dossiers lack become partial (WHERE … IS NOT NULL),
and the one on dossier.unit_id goes (two composite indexes lead with it).

The field changes are made in the migration state only: on SQLite Django would rebuild the whole
dossier table for each of them (seven copies of every row), and on PostgreSQL it would keep the old
indexes. The database side drops each field's index by the name Django gave it, and recreates it on
the way back.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column) of the indexes dropped.
DROPPED = [
    ("dossiers_dossier", column)
    for column in (
        "applicant_id",
        "assigned_to_id",
        "current_step_id",
        "procedure_version_id",
        "received_by_id",
        "result_file_id",
        "unit_id",
    )
] + [("dossiers_dossierdocument", column) for column in ("component_id", "file_id", "store_item_id")]


def _name(schema_editor, table, column):
    # The name Django gave a ForeignKey's index (BaseDatabaseSchemaEditor._create_index_name).
    return schema_editor._create_index_name(table, [column])


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_name(schema_editor, table, column))}")


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in DROPPED:
        name = quote(_name(schema_editor, table, column))
        schema_editor.execute(f"CREATE INDEX {name} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_procedure_search_text_and_source"),
        ("documents", "0003_fileupload"),
        ("dossiers", "0004_dossier_held_by_required"),
        ("orgs", "0002_unit_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="applicant",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossiers",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người nộp (tài khoản)",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="assigned_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_dossiers",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="current_step",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="dossiers.dossierstep",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="procedure_version",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossiers",
                        to="catalog.procedureversion",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="received_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="result_file",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.storedfile",
                        verbose_name="tệp kết quả",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossiers",
                        to="orgs.unit",
                        verbose_name="đơn vị",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierdocument",
                    name="component",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.component",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierdocument",
                    name="file",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.storedfile",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierdocument",
                    name="store_item",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="documents.storeitem",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("procedure_version__isnull", False)),
                fields=["procedure_version"],
                name="dossier_version_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("applicant__isnull", False)),
                fields=["applicant"],
                name="dossier_applicant_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("received_by__isnull", False)),
                fields=["received_by"],
                name="dossier_received_by_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", False)),
                fields=["assigned_to"],
                name="dossier_assigned_to_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("current_step__isnull", False)),
                fields=["current_step"],
                name="dossier_step_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("result_file__isnull", False)),
                fields=["result_file"],
                name="dossier_result_file_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossierdocument",
            index=models.Index(
                condition=models.Q(("component__isnull", False)),
                fields=["component"],
                name="document_component_present",
            ),
        ),
        migrations.AddIndex(
            model_name="dossierdocument",
            index=models.Index(
                condition=models.Q(("file__isnull", False)), fields=["file"], name="document_file_present"
            ),
        ),
        migrations.AddIndex(
            model_name="dossierdocument",
            index=models.Index(
                condition=models.Q(("store_item__isnull", False)),
                fields=["store_item"],
                name="document_store_present",
            ),
        ),
    ]
