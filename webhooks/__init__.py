"""Signed webhooks for case events (docs/api.md)."""
