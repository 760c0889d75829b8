from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Commands to run the system: serve, demo, backup and restore, benchmarks."""

    name = "motcua.operations"
    label = "operations"
    verbose_name = _("Vận hành")
