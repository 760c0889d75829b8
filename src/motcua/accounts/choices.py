from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do. Citizens have no membership; every other role is held in a unit."""

    CITIZEN = "citizen", _("Công dân, tổ chức")
    COUNTER_OFFICER = "counter_officer", _("Cán bộ tiếp nhận (một cửa)")
    PROCESSING_OFFICER = "processing_officer", _("Cán bộ xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    PROVINCE_ADMIN = "province_admin", _("Quản trị hệ thống cấp tỉnh")
    REFORM_MANAGER = "reform_manager", _("Quản lý cải cách hành chính")


STAFF_ROLES = [r for r in Role if r != Role.CITIZEN]
# Roles that see every unit of the province.
PROVINCE_WIDE_ROLES = {Role.PROVINCE_ADMIN, Role.REFORM_MANAGER}


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANIZATION = "organization", _("Tổ chức")
