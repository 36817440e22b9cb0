"""Exchange with the provincial system; Qt-free and free of desktop/ imports.

protocol.py  the wire models of this project's own protocol (versioned)
national.py  the national-portal (DVCQG) format: field names, dates, mappings
server/      the reference provincial server (``motcua-province``)
"""
