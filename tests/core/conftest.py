# The machine's Redis and a real SMTP server, as the notification tests use them.
from tests.notifications.conftest import redis_url, smtp_server

__all__ = ["redis_url", "smtp_server"]
