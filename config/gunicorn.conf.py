"""Gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (or with gunicorn's own GUNICORN_CMD_ARGS).
"""

import os


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # CPUs this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


# PaaS convention: PORT means "listen on all interfaces on this port"; otherwise stay on localhost behind
# the TLS proxy. GUNICORN_BIND (e.g. unix:/run/supportcircle.sock) wins over both.
_port = os.environ.get("PORT")
bind = os.environ.get("GUNICORN_BIND") or (f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000")

# The usual 2 × cores + 1 sync workers, capped so a large machine doesn't exhaust database connections.
MAX_WORKERS = int(os.environ.get("GUNICORN_MAX_WORKERS", "8"))
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * _cpu_count() + 1, MAX_WORKERS))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load Django once in the master and fork workers from it: a recycled worker is ready at once instead of
# spending a second of CPU importing everything again (the benchmark saw that cost under load).
preload_app = True
# Recycle workers now and then so a slow leak can't grow forever; jitter avoids restarting all at once.
max_requests = 20000
max_requests_jitter = 2000

# Logs to stdout/stderr. The access log has no query string (%(U)s is the path alone), no referrer and no
# client address: query strings and referrers can carry emails or tokens. %(M)s is the duration in ms.
# AccessLogger masks keys and tokens in paths as the request log does, whatever the format asks for.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
logger_class = "config.gunicorn_logging.AccessLogger"

# Trust X-Forwarded-* only from the proxy in front (default: the same machine). See the README.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
