"""Imports every admin page module so their controllers register on ADMIN_CONTROLLERS."""

from interfaces.admin import admissions  # noqa: F401,E402  (报名表 pages)
from interfaces.admin import admissions_catalogue  # noqa: F401,E402  (学习批次/招生批次/培养方案 pages)
from interfaces.admin import portal  # noqa: F401,E402  (public quick registration /register)
from interfaces.admin import audit  # noqa: F401,E402  (审计链校验、记录历史回放)
from interfaces.admin import learners  # noqa: F401,E402  (学籍信息 and its Excel export)
from interfaces.admin import users  # noqa: F401,E402  (教学点用户管理)
from interfaces.admin import admissions_imports  # noqa: F401,E402  (批量导入报名表)
