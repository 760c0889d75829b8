"""Printed forms 01–05 of Circular 01/2018/TT-VPCP as PDF (see `slips`)."""

from motcua.dossiers.forms.slips import (
    FORMS,
    render_form01,
    render_form02,
    render_form03,
    render_form04,
    render_form05,
)

__all__ = ["FORMS", "render_form01", "render_form02", "render_form03", "render_form04", "render_form05"]
