"""Exchange with the provincial system; Qt-free.

protocol.py  the wire models of this project's own protocol (versioned)
national.py  the national-portal (DVCQG) format: field names, dates, mappings
server/      the reference provincial server (``motcua-province``)
client.py    the desk's HTTP client: timeouts, TLS, login, credentials in the OS keyring
engine.py    the desk's sync rounds: push the outbox, pull, files, integrity, conflicts
queue.py     the outbox and the conflicts as officers see them (sync page, CLI)

protocol.py, national.py and server/ never import desktop/ (the server does not
depend on the desktop app); client.py, engine.py and queue.py are the desk's
side and use desktop.store and desktop.services (never desktop.ui).
"""
