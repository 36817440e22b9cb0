"""Who does an action: every service call names its actor for the audit trail."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from desktop.store.models import Officer, Role


@dataclass(frozen=True)
class Actor:
    officer_id: int | None
    name: str
    title: str = ""
    department: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)

    @classmethod
    def of(cls, officer: Officer) -> Actor:
        return cls(
            officer_id=officer.id,
            name=officer.full_name,
            title=officer.title,
            department=officer.department,
            roles=frozenset(officer.role_set),
        )

    @classmethod
    def system(cls, what: str = "cli") -> Actor:
        """An IT-staff command run outside the app (`motcua init`, `backup`, …)."""
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name on some frozen/service setups
            user = "?"
        return cls(officer_id=None, name=f"{what}:{user}", roles=frozenset({Role.ADMIN}))

    def has(self, role: Role) -> bool:
        return role in self.roles
