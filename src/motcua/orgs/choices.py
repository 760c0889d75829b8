from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PEOPLE_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    CENTRAL_AGENCY = "central_agency", _("Cơ quan Trung ương đóng trên địa bàn")
    SERVICE_UNIT = "service_unit", _("Đơn vị sự nghiệp")
    SCHOOL = "school", _("Trường học")
    OTHER = "other", _("Khác")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
