"""Every cache the site keeps: its key, how long an entry lives, and what forgets it. Nothing else calls the cache.

| Cache                  | Key                                                       | Lifetime | Forgotten (after commit) when        |
|------------------------|-----------------------------------------------------------|----------|--------------------------------------|
| course structure       | courses:content:<content version>:<language>:<name>       | 60 s     | course content is saved, deleted or  |
|                        |                                                           |          | bulk-updated; after `migrate`        |
| (also: a lesson page's | …:lesson-parts:<lesson copy>:<structure copy>: drawn from |          |                                      |
|  parts as HTML)        | those cached copies, so never older than they are         |          |                                      |
| clinic report          | clinics:report:<clinic>:<families v.>:<lang>:<course ids> | 300 s    | invitations sent; families join or   |
| clinic family list     | clinics:families:<clinic>:<families v.>:<lang>:<view>     | 60 s     | leave (the families version changes) |
| clinic's courses       | clinics:scope:<clinic>:<content v.>:<families v.>:<lang>  | 60 s     | course content changes (publishing); |
|                        |                                                           |          | courses assigned or unassigned       |
| header "Clinic" link   | clinics:shows-clinic-link:<user>                          | 300 s    | the person's staff roles change      |
| rendered fragment      | fragment:<lang>:<name> (this process only, never shared)  | 300 s    | never: `name` carries every input    |
| header, footer         | fragment:<lang>:site-part:<template>:<flags> (the same)   | 300 s    | never: they show no person's data    |
|                        | (config/site_parts.py; each request fills in its own CSRF token and address)                 |

Course structure, the clinic report and the family list are kept per language (the active one,
django.utils.translation): titles, text, rendered rows and the order of things read in Spanish must never reach an
English page. One version covers both languages, so replacing it forgets both at once.

Versions (content, families per clinic) live without expiry; replacing one orphans every entry under the old
one, which then expire on their own. With the per-process local-memory cache, other worker processes keep an
entry for its lifetime; with Redis every worker sees a change at once.

Forgetting runs in `transaction.on_commit`: a page read while an admin's save is still open would otherwise
rebuild the entry from the old rows under the new version and keep it. A cache is an optimisation only: with an
empty cache every page gives the same answers, from the database.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import translation

T = TypeVar("T")
K = TypeVar("K")

CONTENT_SECONDS = 60
CLINIC_REPORT_SECONDS = 300
FAMILY_LIST_SECONDS = 60
CLINIC_LINK_SECONDS = 300

CONTENT_VERSION_KEY = "courses:content-version"


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, None):  # another process set it first
            version = cache.get(key, version)
    return version


def _replace_version_after_commit(key: str) -> None:
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def _get_or_build(key: str, build: Callable[[], T], seconds: int) -> T:
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


# --- This process's own copies ----------------------------------------------------------------------------------
# Entries whose key carries a version (course content, clinic report, family list) are also kept here as built,
# not pickled: unpickling model instances (modeltranslation rebuilds a queryset class for each prefetched list)
# cost more than rendering some pages. The version is still read from the shared cache on every use, so an edit
# is seen exactly as without this layer, and an entry lives no longer than its lifetime. The objects are shared
# by every request this process serves: callers must not change them.
LOCAL_MAX_ENTRIES = 5000
_local: dict[str, tuple[float, object]] = {}


def _local_get(key: str):
    found = _local.get(key)
    if found is None or found[0] < time.time():
        return None
    return found[1]


def _local_set(key: str, value, seconds: int) -> None:
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()  # old versions' entries are never read again; starting afresh is the simplest way out
    _local[key] = (time.time() + seconds, value)


@receiver(setting_changed)
def _forget_local_copies(**_signal_kwargs) -> None:
    """Only tests change settings in a running process (static files' storage, languages): what this process
    built under the old ones is dropped. In production settings change with a restart, which starts afresh."""
    _local.clear()


def _get_or_build_shared(key: str, build: Callable[[], T], seconds: int) -> T:
    """Like _get_or_build, through this process's copies first (for versioned, read-only entries)."""
    value = _local_get(key)
    if value is None:
        value = _get_or_build(key, build, seconds)
        _local_set(key, value, seconds)
    return value


# --- Course structure -------------------------------------------------------------------------------------------


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _content_key(version: str, name: str) -> str:
    return f"courses:content:{version}:{_language()}:{name}"


def cached_content(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result for the current course content in the active language, built once per content version,
    language and worker."""
    return _get_or_build_shared(_content_key(_version(CONTENT_VERSION_KEY), name), build, CONTENT_SECONDS)


def cached_content_many(
    names: dict[K, str], build: Callable[[list[K]], dict[K, T]], *, refresh: bool = False
) -> dict[K, T]:
    """Like cached_content for several entries at once: `build(missing)` makes only those not cached. `refresh`
    rebuilds them all (a caller that found an entry older than the rows it read)."""
    version = _version(CONTENT_VERSION_KEY)
    keys = {item: _content_key(version, name) for item, name in names.items()}
    result = {} if refresh else {item: value for item, key in keys.items() if (value := _local_get(key)) is not None}
    wanted = [key for item, key in keys.items() if item not in result]
    found = {} if refresh or not wanted else cache.get_many(wanted)
    for item, key in keys.items():
        if key in found:
            result[item] = found[key]
            _local_set(key, found[key], CONTENT_SECONDS)
    missing = [item for item in names if item not in result]
    if missing:
        built = build(missing)
        cache.set_many({keys[item]: built[item] for item in missing}, CONTENT_SECONDS)
        for item in missing:
            _local_set(keys[item], built[item], CONTENT_SECONDS)
        result.update(built)
    return result


def forget_course_content(**_signal_kwargs) -> None:
    """After the current transaction commits, every cached piece of course structure, in every language, is rebuilt
    on next use."""
    _replace_version_after_commit(CONTENT_VERSION_KEY)


# --- Clinic report and family list ------------------------------------------------------------------------------


def _families_version_key(clinic_id: int) -> str:
    return f"clinics:families-version:{clinic_id}"


def cached_clinic_report(clinic_id: int, course_ids: list[int], build: Callable[[], T]) -> T:
    version = _version(_families_version_key(clinic_id))
    courses = ",".join(map(str, sorted(course_ids)))
    key = f"clinics:report:{clinic_id}:{version}:{_language()}:{courses}"
    return _get_or_build_shared(key, build, CLINIC_REPORT_SECONDS)


def cached_family_list(clinic_id: int, view: str, build: Callable[[], T]) -> T:
    """One view (filter, sort, page, assigned courses) of a clinic's family list; `view` names it uniquely."""
    version = _version(_families_version_key(clinic_id))
    key = f"clinics:families:{clinic_id}:{version}:{_language()}:{view}"
    return _get_or_build_shared(key, build, FAMILY_LIST_SECONDS)


def cached_clinic_scope(clinic_id: int, build: Callable[[], T]) -> T:
    """The clinic's assigned courses that learners can see: they change when course content is published or
    hidden (the content version) and when courses are assigned to the clinic (clinics/apps.py forgets the
    families version, as the family list shows those courses)."""
    versions = f"{_version(CONTENT_VERSION_KEY)}:{_version(_families_version_key(clinic_id))}"
    return _get_or_build_shared(f"clinics:scope:{clinic_id}:{versions}:{_language()}", build, CONTENT_SECONDS)


def forget_clinic_families(clinic_id: int) -> None:
    """Invitations sent, families joining or leaving: the clinic's report and family list are rebuilt."""
    _replace_version_after_commit(_families_version_key(clinic_id))


# --- Header link ------------------------------------------------------------------------------------------------


def _clinic_link_key(user_id: int) -> str:
    return f"clinics:shows-clinic-link:{user_id}"


def cached_shows_clinic_link(user_id: int, build: Callable[[], bool]) -> bool:
    return _get_or_build(_clinic_link_key(user_id), build, CLINIC_LINK_SECONDS)


def forget_clinic_link(user_id: int) -> None:
    transaction.on_commit(lambda: cache.delete(_clinic_link_key(user_id)))


# --- Rendered fragments -------------------------------------------------------------------------------------------

FRAGMENT_SECONDS = 300


def cached_fragment(name: str, build: Callable[[], str]) -> str:
    """HTML that depends only on the code, the active language and what `name` says (the caller puts every input
    in it: a form's submitted values, a report's version). Kept in this process only: never stale, because
    nothing it depends on can change without changing `name` (or restarting the process, as a deploy does)."""
    key = f"fragment:{_language()}:{name}"
    html = _local_get(key)
    if html is None:
        html = build()
        _local_set(key, html, FRAGMENT_SECONDS)
    return html
