"""Who may open the curriculum pages (requirements/curriculum.md §1, §4): academic affairs edits the
course catalogue, the programmes' course lists and the selection and exam batches; the system
administrator and auditors read them; a teaching point reads the course lists of the programmes
it offers; school finance sets the fee standards, which academic affairs, auditors and the
system administrator read. The `Curriculum` use cases check every change again."""

from __future__ import annotations

from domains.shared.values import Role

EDITORS = (Role.ACADEMIC_AFFAIRS,)
READERS = (Role.ACADEMIC_AFFAIRS, Role.SYSTEM_ADMIN, Role.AUDITOR)
PROGRAMME_READERS = (*READERS, Role.TEACHING_POINT_ADMIN)
FEE_READERS = (Role.FINANCE, Role.ACADEMIC_AFFAIRS, Role.AUDITOR, Role.SYSTEM_ADMIN)
