"""The REST API under /api/: every kind of record, read with filters, ordering and pages,
written in the shape it is read; search and matchmaking.

OpenAPI 3 at /api/openapi.json, interactive documentation at /api/docs (Swagger
UI from the django-ninja package, nothing from a CDN). Anonymous clients read
public records; staff, by session or token, read what the back office shows.
This module only assembles the routers: ``records`` (reads), ``writes`` and
``discovery`` (search, match), with the shapes of ``schemas``.
"""

from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI

from passerelle import __version__

from .agreements import router as agreements
from .auth import AUTH
from .discovery import router as discovery
from .figures import router as figures
from .records import COLLECTIONS, reads
from .throttling import AnonymousThrottle, ClientThrottle
from .writes import register_writes

api = NinjaAPI(
    title="Passerelle API",
    version=__version__,
    description=__doc__,
    auth=AUTH,
    urls_namespace="api",
    throttle=[AnonymousThrottle(), ClientThrottle()],
)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB)."""
    return api.create_response(
        request, {"detail": "The request body is over 10 MB; send less at once."}, status=413
    )


@api.exception_handler(RecursionError)
def too_deep(request, exc):
    """A JSON body nested deeper than Python reads (``[[[[…]]]]``, 200,000 deep)."""
    return api.create_response(
        request, {"detail": "The request body nests too deeply to be a record."}, status=400
    )


for _collection in COLLECTIONS:
    _router = reads(_collection)
    register_writes(_router, _collection)
    api.add_router(f"/{_collection.path}", _router)
api.add_router("/", discovery)
api.add_router("/", agreements)
api.add_router("/exchanges", figures)
