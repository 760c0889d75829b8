"""Load the bundled day swaps (data/day_swaps.csv) so a fresh installation has them.

Later years are added in the admin or with `motcua load-day-swaps`; this migration does not
delete or overwrite rows an administrator changed afterwards, because it runs only once.
"""

from django.db import migrations


def load_bundled_swaps(apps, schema_editor):
    from motcua.calendar.day_swaps_file import read_day_swaps

    DaySwap = apps.get_model("calendar", "DaySwap")
    for swap in read_day_swaps():
        DaySwap.objects.update_or_create(
            date=swap.date,
            defaults={"kind": swap.kind, "description": swap.description, "legal_basis": swap.legal_basis},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0002_updated_at"),
    ]

    operations = [
        migrations.RunPython(load_bundled_swaps, migrations.RunPython.noop),
    ]
