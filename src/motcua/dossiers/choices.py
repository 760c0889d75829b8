from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """A dossier's state, one per national sync status (TrangThaiHoSo, code in NATIONAL_STATUS)."""

    NEW = "new", _("Mới đăng ký")  # submitted online, not yet accepted by an officer
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không được tiếp nhận")  # refused at intake (form 03)
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung")  # clock paused (form 02)
    WAITING_PAYMENT = "waiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    PROCESSED = "processed", _("Đã xử lý xong")  # approved or refused, result not yet handed back
    RETURNED = "returned", _("Đã trả kết quả")


NATIONAL_STATUS = {
    Status.NEW: 1,
    Status.RECEIVED: 2,
    Status.NOT_RECEIVED: 3,
    Status.PROCESSING: 4,
    Status.WAITING_SUPPLEMENT: 5,
    Status.WAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.PROCESSED: 9,
    Status.RETURNED: 10,
}


class Channel(models.TextChoices):
    """How the dossier reached the agency (KenhThucHien, code in NATIONAL_CHANNEL)."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


NATIONAL_CHANNEL = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Giải quyết")
    REJECTED = "rejected", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")


class DocumentSource(models.TextChoices):
    """Where a submitted component came from."""

    UPLOAD = "upload", _("Tải lên")
    PAPER = "paper", _("Nộp bản giấy")
    STORE = "store", _("Kho dữ liệu của công dân, tổ chức")
    NATIONAL_DB = "national_db", _("Cơ sở dữ liệu quốc gia")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại bộ phận một cửa")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua bưu chính")


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NEUTRAL = "neutral", _("Bình thường")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class Source(models.TextChoices):
    MOTCUA = "motcua", _("Xử lý trên motcua")
    IMPORT = "import", _("Nhập từ hệ thống khác")
