"""What the services need from a store; ``tinydb_store`` is the implementation."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from ptcli.domain.models import PainEntry, Profile, SessionEntry


class MergeReport:
    """What ``Repository.merge`` did: records added, already present, and conflicting ids."""

    def __init__(self) -> None:
        self.added_pain = 0
        self.added_sessions = 0
        self.unchanged = 0
        self.conflicts: list[str] = []
        self.profile_updated = False


class Repository(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all are saved together at the end, or none on an error."""

    def profile(self) -> Profile: ...

    def save_profile(self, profile: Profile) -> None: ...

    def pain(self, since: datetime | None = None, until: datetime | None = None) -> list[PainEntry]:
        """Pain entries with ``since <= at <= until``, oldest first."""

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionEntry]:
        """Sessions with ``since <= at <= until``, oldest first."""

    def add_pain(self, entry: PainEntry) -> None: ...

    def add_session(self, entry: SessionEntry) -> None: ...

    def merge(
        self, profile: Profile | None, pain: list[PainEntry], sessions: list[SessionEntry]
    ) -> MergeReport:
        """Add records whose id is new; an existing id is kept (a conflict if it differs)."""
