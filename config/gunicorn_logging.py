"""gunicorn's access log, with nothing in it that the request log (config/request_logging.py) leaves out.

Password-reset and email-confirmation keys, invitation tokens and certificate codes live in URL paths; gunicorn
logged them in full. Here every path is the one the request log wrote (keys replaced by their names), and
query strings, referrers, headers and environ values are never available to the log format.
"""

from gunicorn.glogging import Logger

from config.request_logging import LOGGED_PATH_KEY, mask_path

# gunicorn's own atoms that say nothing about who asked for what (see `access_log_format` in gunicorn.conf.py).
SAFE_ATOMS = ("l", "u", "t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")


def _path(environ) -> str:
    logged = environ.get(LOGGED_PATH_KEY)
    if logged:
        return logged
    # Not seen by Django's middleware (a static file, or an error before it): mask by the URL pattern.
    from django.urls import Resolver404, resolve

    path = environ.get("PATH_INFO", "")
    try:
        match = resolve(path)
    except (Resolver404, ValueError):
        match = None
    return mask_path(path, match)


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        every = super().atoms(resp, req, environ, request_time)
        atoms = {name: every[name] for name in SAFE_ATOMS}
        path = _path(environ)
        atoms.update(U=path, r=f"{every['m']} {path} {every['H']}", q="", f="-", h="-", a="-")
        return atoms
