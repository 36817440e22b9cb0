"""Connectors to provincial systems that do not speak this project's protocol.

The setting "sync.connector" (desktop/services/settings.py) picks one:
"motcua" (default: sync/client.py + sync/engine.py) or "dvcqg" (the national
portal's integration services, sync/connectors/dvcqg.py).
"""
