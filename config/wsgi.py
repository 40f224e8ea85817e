import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

# After Django is set up: the limit reads the settings and the URL conf.
from config.middleware import RequestBodyLimit  # noqa: E402

# No request body larger than its page accepts is read (config/middleware.py). Gunicorn has no
# such limit of its own; the reverse proxy has the same figures (docs/deployment.md).
application = RequestBodyLimit(django_application)
