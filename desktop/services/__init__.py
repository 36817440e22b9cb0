"""Use cases, one transaction each. Qt-free; the UI and the CLI call these.

Every service function takes the Store (or an open Session inside
`store.transaction()`) and an Actor, validates its input, and writes the
change together with its audit event (and, for dossiers, the progress row
and the outbox item) in one transaction.
"""
