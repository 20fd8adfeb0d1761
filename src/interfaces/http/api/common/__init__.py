"""What every API context package shares: the injected actor, services and read connection
(`dependencies`), role guards (`guards`), the base and shared request and response structs
(`schemas`), turning query rows into those structs (`convert`) and multipart uploads
(`uploads`). Nothing here imports a context package."""

from __future__ import annotations

from interfaces.http.api.common.convert import (
    amount_listing,
    listing,
    out,
    page_of,
)
from interfaces.http.api.common.dependencies import (
    API_DEPENDENCIES,
    ROSTER,
    roster_filter,
)
from interfaces.http.api.common.guards import requires_role, staff_only
from interfaces.http.api.common.schemas import (
    AccountOut,
    AmountListing,
    BillOut,
    CommentIn,
    CreatedOut,
    JobOut,
    JobState,
    Listing,
    Out,
    ProgrammeColumns,
    ReasonIn,
    RefundOut,
    RegisteredOut,
    RosterColumns,
    SessionOut,
)
from interfaces.http.api.common.uploads import one_file, upload_body

__all__ = [
    "API_DEPENDENCIES",
    "ROSTER",
    "AccountOut",
    "AmountListing",
    "BillOut",
    "CommentIn",
    "CreatedOut",
    "JobOut",
    "JobState",
    "Listing",
    "Out",
    "ProgrammeColumns",
    "ReasonIn",
    "RefundOut",
    "RegisteredOut",
    "RosterColumns",
    "SessionOut",
    "amount_listing",
    "listing",
    "one_file",
    "out",
    "page_of",
    "requires_role",
    "roster_filter",
    "staff_only",
    "upload_body",
]
