from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKING = "working", _("Ngày làm việc")
    CALENDAR = "calendar", _("Ngày")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")


class NationalDatabase(models.TextChoices):
    NONE = "", _("Không")
    POPULATION = "population", _("Cơ sở dữ liệu quốc gia về dân cư")
    BUSINESS = "business", _("Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp")
    LAND = "land", _("Cơ sở dữ liệu đất đai")
