"""Who is acting, and the scope checks every use case makes before it touches an aggregate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from domains.shared.errors import Forbidden, NotFound
from domains.shared.values import TRAINING_ADMIN_ROLES, TRAINING_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    username: str
    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    teaching_point_id: uuid.UUID | None = None
    learner_id: uuid.UUID | None = None
    # The school training platform a trainee or a school's training administrator belongs to.
    training_school_id: uuid.UUID | None = None

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def is_school_staff(self) -> bool:
        return self.has(Role.ACADEMIC_AFFAIRS, Role.FINANCE, Role.SYSTEM_ADMIN, Role.AUDITOR)

    def require(self, *roles: Role) -> Role:
        """The first of `roles` the actor holds: the role the action is recorded under."""
        for role in roles:
            if role in self.roles:
                return role
        raise Forbidden(
            "auth.role_not_allowed",
            "您的角色无权执行此操作（需要：" + "、".join(r.label for r in roles) + "）",
        )

    @property
    def is_staff(self) -> bool:
        """Headquarters and teaching-point staff (not learners, not the training platform's people)."""
        return bool(self.roles - {Role.LEARNER} - TRAINING_ROLES)

    @property
    def is_training_admin(self) -> bool:
        """The training centre's or a school training platform's administrator."""
        return bool(self.roles & TRAINING_ADMIN_ROLES)

    def can_see_teaching_point(self, teaching_point_id: uuid.UUID | None) -> bool:
        """Staff see their teaching point's records (school staff: all); learners none."""
        if self.is_school_staff:
            return True
        return self.is_staff and teaching_point_id is not None and teaching_point_id == self.teaching_point_id

    def check_teaching_point(self, teaching_point_id: uuid.UUID | None, what: str = "记录") -> None:
        """Outside the actor's teaching point the thing is reported as not found (not theirs)."""
        if not self.can_see_teaching_point(teaching_point_id):
            raise NotFound("not_found", f"{what}不存在或不属于您的教学点")

    def visible_teaching_point(self) -> uuid.UUID | None:
        """The teaching point a list is limited to; None means every one."""
        if self.is_school_staff:
            return None
        return (self.teaching_point_id if self.is_staff else None) or uuid.UUID(int=0)


SYSTEM = Actor(user_id=None, username="system", name="系统", roles=frozenset(Role))
