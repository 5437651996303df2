import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
application = get_wsgi_application()

if os.environ.get("PASSERELLE_PRELOAD"):  # set by `passerelle serve`, which preloads the app
    from passerelle.search.semantic import preload

    preload()

# What is loaded by now (Django, the apps, the vector index) lives as long as the process:
# set apart from the garbage collector, a full collection during a request walks only what
# requests made, and forked workers share those pages instead of copying them as the
# collector writes to them (docs/PERFORMANCE.md: a composed page's p95, 440 → 250 ms).
gc.freeze()
