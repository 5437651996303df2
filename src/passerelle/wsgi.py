import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
application = get_wsgi_application()

if os.environ.get("PASSERELLE_PRELOAD"):  # set by `passerelle serve`, which preloads the app
    from passerelle.search.semantic import preload

    preload()
