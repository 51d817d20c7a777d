"""Persistence: the ORM model, engines and sessions, and small keyword-only queries."""
