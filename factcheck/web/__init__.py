"""The reviewers' web UI and the JSON API (`factcheck serve`)."""

from factcheck.web.app import create_app

__all__ = ["create_app"]
