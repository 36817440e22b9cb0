"""The schema revisions this build knows, oldest first (no imports: read at start-up).

Add each new Alembic revision here; a test keeps this list equal to the scripts.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008",
                              "0009", "0010", "0011")
HEAD = REVISIONS[-1]
