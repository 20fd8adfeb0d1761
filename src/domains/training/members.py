"""People of the training platform (requirements/training.md §1): trainee teachers and administrators.

A member's account lives in identity; this aggregate holds what the training platform knows:
the school, the unit name confirmed at registration and the campus range it came from, whether
the member has logged in with account and password, and the WeChat / mobile bindings. WeChat and
mobile-code login need a binding, and binding needs an earlier account login.
"""

from __future__ import annotations

import uuid

from eventsourcing.domain import event

from domains.shared.aggregate import NAMESPACE, DomainAggregate
from domains.shared.errors import DomainError
from domains.shared.values import Role


class TrainingMember(DomainAggregate):
    @staticmethod
    def create_id(account_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"training_member:{account_id}")

    @event("Registered")
    def __init__(
        self,
        account_id: uuid.UUID,
        role: str,
        training_school_id: uuid.UUID | None,
        unit_name: str | None,
        campus_range: str | None,
    ) -> None:
        self.account_id = account_id
        self.role = role
        self.training_school_id = training_school_id
        self.unit_name = unit_name
        self.campus_range = campus_range
        self.account_login_seen = False
        self.wechat_bound = False
        self.mobile_bound = False

    @classmethod
    def trainee(cls, account_id: uuid.UUID, school_id: uuid.UUID, unit_name: str, campus_range: str) -> TrainingMember:
        return cls(
            account_id=account_id, role=Role.TRAINEE.value, training_school_id=school_id,
            unit_name=unit_name, campus_range=campus_range,
        )

    @classmethod
    def administrator(cls, account_id: uuid.UUID, role: Role, school_id: uuid.UUID | None) -> TrainingMember:
        return cls(account_id=account_id, role=role.value, training_school_id=school_id, unit_name=None, campus_range=None)

    def record_account_login(self) -> None:
        """The first successful account-and-password login (later ones are not events)."""
        if not self.account_login_seen:
            self._account_login_seen()

    @event("FirstAccountLogin")
    def _account_login_seen(self) -> None:
        self.account_login_seen = True

    def check_may_bind(self) -> None:
        if not self.account_login_seen:
            raise DomainError(
                "training_binding.account_login_first", "请先使用账号和密码成功登录一次，再绑定微信或手机号"
            )

    def bind_wechat(self, openid: str) -> None:
        self.check_may_bind()
        if self.wechat_bound:
            raise DomainError("training_binding.wechat_already_bound", "已绑定微信，如需更换请先解除绑定")
        self._wechat_bound(openid=openid)

    @event("WeChatBound")
    def _wechat_bound(self, openid: str) -> None:
        self.wechat_bound = True

    def bind_mobile(self, mobile: str) -> None:
        self.check_may_bind()
        if self.mobile_bound:
            raise DomainError("training_binding.mobile_already_bound", "已绑定手机号，如需更换请先解除绑定")
        self._mobile_bound(mobile=mobile)

    @event("MobileBound")
    def _mobile_bound(self, mobile: str) -> None:
        self.mobile_bound = True
