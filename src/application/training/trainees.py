"""Trainee registration, login methods and bindings (requirements/training.md §1).

- Registration is the first login: only from inside the school's authorised campus ranges, with
  the unit name equal to the school's full name. It opens the trainee's account (the trainee's id
  is the account id). Later logins are not restricted by address.
- Account login first; WeChat and mobile-code login need a binding, and a binding needs an
  earlier successful account login.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from application.common.actor import Actor
from application.common.loading import load
from application.common.ports import EventStore, PasswordHasher
from application.common.recording import recording
from application.training.ports import SmsCodes, WeChatOAuth
from domains.identity.account import Account, check_password_policy, parse_username
from domains.shared.aggregate import UniqueKey, key_id
from domains.shared.errors import DomainError, Forbidden, InvalidInput
from domains.shared.values import Role, parse_mobile, require_text
from domains.training.members import TrainingMember
from domains.training.schools import TrainingSchool

WECHAT_KEY = "training_wechat"
MOBILE_KEY = "training_mobile"

_LOGIN_REFUSED = "登录失败：该微信或手机号尚未绑定培训平台账号。请先使用账号和密码登录，在个人中心完成绑定"


class Trainees:
    def __init__(self, store: EventStore, hasher: PasswordHasher, sms: SmsCodes, wechat: WeChatOAuth) -> None:
        self.store = store
        self.hasher = hasher
        self.sms = sms
        self.wechat = wechat

    def register(
        self, *, school_id: uuid.UUID, address: str, unit_name: str, username: str, name: str,
        password: str, confirm_password: str, mobile: str | None = None,
    ) -> uuid.UUID:
        school = load(self.store, school_id, TrainingSchool, "学校培训平台")
        campus_range = school.check_first_registration(address, unit_name)
        check_password_policy(password, confirm_password)
        username = parse_username(username)
        if self.store.find(key_id("username", username)) is not None:
            raise DomainError("account.username_taken", f"用户名“{username}”已被使用")
        name = require_text(name, "name", "姓名", 30)
        trainee = Actor(user_id=None, username=username, name=name, roles=frozenset({Role.TRAINEE}),
                        training_school_id=school.id)
        with recording(trainee, Role.TRAINEE, "参训教师首次注册"):
            account = Account.register_training_member(
                username=username, name=name, role=Role.TRAINEE, password_hash=self.hasher.hash(password),
                mobile=mobile or None,
            )
            claim = UniqueKey(kind="username", key=username, owner_id=account.id)
            member = TrainingMember.trainee(account.id, school.id, school.name, campus_range)
        self.store.save(account, claim, member)
        return account.id

    def _member(self, actor: Actor) -> TrainingMember:
        if actor.user_id is None:
            raise Forbidden("auth.required", "请先登录")
        return load(self.store, TrainingMember.create_id(actor.user_id), TrainingMember, "培训平台用户")

    def record_account_login(self, actor: Actor) -> None:
        """Called after each successful account-and-password login of a training member."""
        member = self.store.find(TrainingMember.create_id(actor.user_id)) if actor.user_id else None
        if not isinstance(member, TrainingMember) or member.account_login_seen:
            return
        with recording(actor, actor.require(*_TRAINING_ROLES), "账号登录"):
            member.record_account_login()
        self.store.save(member)

    def bind_wechat(self, actor: Actor, oauth_code: str) -> None:
        member = self._member(actor)
        openid = self.wechat.openid_for(oauth_code or "")
        if openid is None:
            raise InvalidInput("training_binding.wechat_code_invalid", "微信授权无效或已过期，请重新扫码授权", field="code")
        self._bind(actor, member, WECHAT_KEY, openid, "微信", lambda: member.bind_wechat(openid))

    def request_sms_code(self, mobile: str, address: str) -> None:
        self.sms.issue(parse_mobile(mobile), address)

    def bind_mobile(self, actor: Actor, mobile: str, code: str) -> None:
        member = self._member(actor)
        mobile = parse_mobile(mobile)
        member.check_may_bind()
        if not self.sms.verify(mobile, code or ""):
            raise InvalidInput("sms.code_invalid", "短信验证码不正确或已过期", field="code")
        self._bind(actor, member, MOBILE_KEY, mobile, "手机号", lambda: member.bind_mobile(mobile))

    def _bind(self, actor: Actor, member: TrainingMember, kind: str, key: str, label: str, bind: Callable[[], None]) -> None:
        if self.store.find(key_id(kind, key)) is not None:
            raise DomainError("training_binding.taken", f"该{label}已绑定其他账号")
        with recording(actor, actor.require(*_TRAINING_ROLES), f"绑定{label}"):
            bind()
            claim = UniqueKey(kind=kind, key=key, owner_id=member.account_id)
        self.store.save(member, claim)

    def wechat_login(self, oauth_code: str) -> uuid.UUID:
        """The account bound to the WeChat user behind the authorisation code."""
        openid = self.wechat.openid_for(oauth_code or "")
        if openid is None:
            raise InvalidInput("training_binding.wechat_code_invalid", "微信授权无效或已过期，请重新扫码授权", field="code")
        return self._bound_account(WECHAT_KEY, openid)

    def sms_login(self, mobile: str, code: str) -> uuid.UUID:
        mobile = parse_mobile(mobile)
        if not self.sms.verify(mobile, code or ""):
            raise InvalidInput("sms.code_invalid", "短信验证码不正确或已过期", field="code")
        return self._bound_account(MOBILE_KEY, mobile)

    def _bound_account(self, kind: str, key: str) -> uuid.UUID:
        claim = self.store.find(key_id(kind, key))
        if not isinstance(claim, UniqueKey):
            raise Forbidden("training_login.not_bound", _LOGIN_REFUSED)
        return claim.owner_id


_TRAINING_ROLES = (Role.TRAINEE, Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN)
