"""oa: an office-automation engine (办公自动化) as a library.

Open an office with ``Office.init_folder``, ``Office.init_memory`` or ``Office.open_folder``,
sign in with ``office.sign_in(login, password)`` and call the operations of the office with the
session. Errors are subclasses of ``OaError`` with a stable ``.code``. See README.md.
"""

from typing import Literal, Union

from oa._oa import *  # noqa: F403
from oa._oa import __version__  # noqa: F401

# The words of the core's enums, as the records carry them (plain `str`), for annotations.
DeptStatus = Literal["active", "disabled"]
PersonStatus = Literal["active", "disabled", "left"]
DataScopeKind = Literal["all", "depts", "own_dept", "own_dept_and_below", "self_only"]
PermCategory = Literal["system", "security", "audit", "business"]
AuditOutcome = Literal["success", "denied", "failed"]
ParamKindType = Literal["int", "bool", "text", "choice", "currency"]
ParamValue = Union[bool, int, str]
WorkUnit = Literal["minutes", "hours", "days"]
SeqReset = Literal["yearly", "monthly", "never"]
InstanceStatus = Literal["draft", "running", "approved", "rejected", "withdrawn", "terminated"]
TaskKind = Literal["approve", "cc", "resubmit"]
TaskStatus = Literal[
    "pending",
    "waiting",
    "delegated",
    "approved",
    "rejected",
    "returned",
    "transferred",
    "withdrawn",
    "cancelled",
    "read",
    "resolved",
]
SignerPosition = Literal["before", "after", "alongside"]
ReturnKind = Literal["previous", "node", "initiator"]
StuckReason = Literal["no_pending_task", "no_active_assignee", "inactive_in_queue"]
HistoryAction = Literal[
    "submitted",
    "approved",
    "auto_approved",
    "rejected",
    "returned",
    "resubmitted",
    "withdrawn",
    "transferred",
    "signer_added",
    "signer_removed",
    "commented",
    "urged",
    "cc_sent",
    "cc_read",
    "terminated",
    "jumped",
    "reminded",
    "escalated",
    "skipped",
    "fallback_assigned",
    "redirected",
    "delegated",
    "resolved",
    "taken_back",
    "condition_error",
    "branch_taken",
    "number_assigned",
    "ended",
    "reassigned",
    "migrated",
]
ErrorCode = Literal[
    "validation",
    "not_found",
    "permission_denied",
    "invalid_state",
    "unauthenticated",
    "account_locked",
    "password_change_required",
    "conflict",
    "incompatible_store",
    "storage",
    "closed",
    "internal",
]
