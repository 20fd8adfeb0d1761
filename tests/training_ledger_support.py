"""Trainees with eligible hours for the certificate-ledger tests: a training school, its
administrator, the centre's administrator and trainees registered through the training use
cases, and hours credited on their ledgers the way the learning side does (one atomic save)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from application.common.actor import SYSTEM, Actor
from application.common.recording import recording
from application.training.ledgers import load_or_open_ledger
from application.training.schools import TrainingSchools
from application.training.trainees import Trainees
from domains.shared.values import Role

PASSWORD = "secret123"
CAMPUS = "202.119.32.0/20"
CAMPUS_ADDRESS = "202.119.33.7"


@dataclass
class TrainingWorld:
    container: Any
    schools: dict[str, uuid.UUID] = field(default_factory=dict)  # name -> id
    accounts: dict[str, uuid.UUID] = field(default_factory=dict)  # username -> account id
    school_of: dict[str, uuid.UUID] = field(default_factory=dict)  # username -> school id

    @property
    def store(self) -> Any:
        return self.container.store

    def actor(self, username: str) -> Actor:
        from application.identity.queries import actor_for

        with self.container.engine.connect() as conn:
            found = actor_for(conn, self.accounts[username])
        assert found is not None
        if found.training_school_id is None and username in self.school_of:
            from dataclasses import replace

            found = replace(found, training_school_id=self.school_of[username])
        return found

    # -- people -----------------------------------------------------------------------------------

    def centre_admin(self, username: str = "wangpei") -> uuid.UUID:
        schools = TrainingSchools(self.store, self.container.hasher)
        account_id = schools.appoint_admin(
            SYSTEM, role_name=Role.TRAINING_CENTRE_ADMIN.value, school_id=None, username=username, name="网培中心管理员",
            password=PASSWORD, confirm_password=PASSWORD,
        )
        self.accounts[username] = account_id
        return account_id

    def school(self, name: str, admin: str) -> uuid.UUID:
        """A school platform and its administrator (the centre administrator must exist)."""
        centre = self.actor(next(u for u in self.accounts if u == "wangpei"))
        schools = TrainingSchools(self.store, self.container.hasher)
        school_id = schools.register_school(centre, name, [CAMPUS])
        self.schools[name] = school_id
        self.accounts[admin] = schools.appoint_admin(
            centre, role_name=Role.TRAINING_SCHOOL_ADMIN.value, school_id=school_id, username=admin,
            name=f"{name}管理员", password=PASSWORD, confirm_password=PASSWORD,
        )
        self.school_of[admin] = school_id
        return school_id

    def trainee(self, school: str, username: str, name: str) -> uuid.UUID:
        school_id = self.schools[school]
        trainees = Trainees(self.store, self.container.hasher, None, None)  # type: ignore[arg-type]
        account_id = trainees.register(
            school_id=school_id, address=CAMPUS_ADDRESS, unit_name=school, username=username, name=name,
            password=PASSWORD, confirm_password=PASSWORD,
        )
        self.accounts[username] = account_id
        self.school_of[username] = school_id
        return account_id

    # -- hours -------------------------------------------------------------------------------------

    def credit(
        self, username: str, *items: tuple[str, float], kind: str = "centre_course",
        earned_on: datetime.date = datetime.date(2026, 8, 20),
    ) -> list[uuid.UUID]:
        """Hours of completed centre courses (title, hours) credited to the trainee's ledger."""
        trainee_id = self.accounts[username]
        sources = []
        with recording(SYSTEM, "system", "学时认定"):
            ledger = load_or_open_ledger(self.store, trainee_id, self.school_of[username])
            for title, hours in items:
                source_id = uuid.uuid4()
                ledger.credit(source_id, kind, title, round(hours * 10), earned_on)
                sources.append(source_id)
        self.store.save(ledger)
        return sources


def training_world(container: Any) -> TrainingWorld:
    """The centre, one school 南京师范大学 (admin njnu_admin), a second school 东南大学 (admin
    seu_admin), and trainees zhangsan, lisi (南京师范大学) and wangwu (东南大学)."""
    w = TrainingWorld(container)
    w.centre_admin()
    w.school("南京师范大学", "njnu_admin")
    w.school("东南大学", "seu_admin")
    w.trainee("南京师范大学", "zhangsan", "张三")
    w.trainee("南京师范大学", "lisi", "李四")
    w.trainee("东南大学", "wangwu", "王五")
    return w
