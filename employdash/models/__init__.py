"""All ORM models; importing this module registers every table on `Base.metadata`."""

from employdash.models import (  # noqa: F401
    forum,
    indicators,
    mail,
    mentoring,
    portfolio,
    record,
    stakeholders,
)
from employdash.models.base import Base
from employdash.models.core import (
    SECTORS,
    AuditEntry,
    Event,
    Locality,
    LoginThrottle,
    Organisation,
    Person,
    User,
    UserLocality,
)

__all__ = [
    "SECTORS",
    "AuditEntry",
    "Base",
    "Event",
    "Locality",
    "LoginThrottle",
    "Organisation",
    "Person",
    "User",
    "UserLocality",
]
