"""A real keyring backend that keeps passwords in this process's memory (tests only).

Set with ``keyring.set_keyring(MemoryKeyring())``, or in a child process with
``PYTHON_KEYRING_BACKEND=tests.sync.memory_keyring.MemoryKeyring``; nothing is
ever written to a file.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
