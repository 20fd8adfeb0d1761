"""The base of every response struct, the list envelopes, the small request bodies every context
takes (a comment, a reason), and the records that more than one context answers with: an
account (a login of staff or of a trainee), a bill and a refund (selection, drops and resits
create them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Generic, Literal, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from domains.finance.bill import BillStatus, FeeType, PaymentMethod
from domains.finance.refund import RefundStatus
from domains.identity.account import AccountKind, AccountStatus
from domains.shared.values import Gender, Role

T = TypeVar("T")


class Out(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every response struct. A key the query returns that the struct does not declare is
    an error (a failing test), not a silent drop: the OpenAPI document stays the whole truth."""


class CreatedOut(Out):
    """The id of what a request created, for the next call to fetch or act on."""

    id: uuid.UUID


class ProgrammeColumns(Out):
    """The five elements of a learner's programme (层次, 学生类型, 学生来源, 专业, 学制)."""

    level: str
    learner_type: str
    learner_source: str
    major: str
    length_of_schooling: str


class RosterColumns(ProgrammeColumns):
    """The learner's roster columns that lists of their bills, selections, requests… carry."""

    student_number: str
    learner_name: str
    study_batch_id: uuid.UUID
    teaching_point_name: str


JobState = Literal["queued", "running", "done", "failed"]


class JobOut(Out):
    """A background job's progress (imports, exports, batch selection and generation)."""

    id: uuid.UUID
    status: JobState
    filename: str  # the file, or what the job does, as the job list shows it
    total: int
    processed: int
    succeeded: int
    failed: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    status_label: str


class Listing(msgspec.Struct, Generic[T]):
    """One page of a list: the items, how many match in all, and the page asked for."""

    items: list[T]
    total: int
    page: int
    page_size: int


class AmountListing(Listing[T], Generic[T]):
    total_amount_fen: int  # of every item the filters match, all pages


class CommentIn(msgspec.Struct):
    comment: str | None = None


class ReasonIn(msgspec.Struct):
    reason: str | None = None


# -- records answered by more than one context ---------------------------------------------------


class AccountOut(Out):
    """An account; another person's ID number and mobile come masked."""

    id: uuid.UUID
    username: str
    kind: AccountKind
    name: str
    gender: Gender | None
    id_number: str | None
    mobile: str | None
    email: str | None
    teaching_point_id: uuid.UUID | None
    position: str | None
    roles: list[Role]
    status: AccountStatus
    learner_id: uuid.UUID | None
    avatar_ref: str | None
    registered_at: datetime
    updated_at: datetime
    teaching_point_name: str | None


class SessionOut(Out):
    """A signed-in session: the bearer token, when it expires, and whose it is."""

    token: str
    expires_at: datetime
    account: AccountOut


class RegisteredOut(Out):
    """A new self-registered account (an activated learner, a trainee) and the name to sign in with."""

    account_id: uuid.UUID
    username: str


class BillOut(RosterColumns, kw_only=True):
    id: uuid.UUID
    learner_id: uuid.UUID
    teaching_point_id: uuid.UUID
    course_id: uuid.UUID
    fee_type: FeeType
    amount_fen: int
    status: BillStatus
    method: PaymentMethod | None
    enrollment_id: uuid.UUID | None  # a course selection's credit fee
    exam_registration_id: uuid.UUID | None  # an exam registration's fee
    remittance_slip_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    gateway_transaction_id: str | None
    void_reason: str | None
    refund_id: uuid.UUID | None  # the course's latest drop request covering this bill
    refunded_fen: int | None  # paid back, once the bill is refunded
    refunded_at: datetime | None
    # One bill read alone: the status of the drop request covering it (lists leave it out).
    refund_status_label: str | UnsetType | None = UNSET
    issued_at: datetime
    paid_at: datetime | None
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    status_label: str
    fee_type_label: str
    method_label: str | None


class RefundOut(RosterColumns):
    id: uuid.UUID
    enrollment_id: uuid.UUID
    learner_id: uuid.UUID
    course_id: uuid.UUID
    teaching_point_id: uuid.UUID
    amount_fen: int
    bill_count: int
    status: RefundStatus
    requested_by_role: Role
    requested_by: str
    reason: str | None
    academic_comment: str | None
    finance_comment: str | None
    reject_reason: str | None
    refund_reference: str | None
    requested_at: datetime
    closed_at: datetime | None
    updated_at: datetime
    course_code: str
    course_name: str
    credit_tenths: int
    status_label: str
    may_study: bool
    cancellable: bool
    requested_by_role_label: str
