"""Who is asking: a signed-in account or an anonymous reader, for type hints.

Every rule of who may read and change what takes either (an anonymous reader
reads public records only), so the functions that decide say so in one name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

AnyUser: TypeAlias = "AbstractBaseUser | AnonymousUser"
