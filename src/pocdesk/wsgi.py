import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocdesk.settings.prod")

application = get_wsgi_application()

from pocdesk.people.checks import refuse_demo_passwords  # noqa: E402 - needs the apps loaded

refuse_demo_passwords()
