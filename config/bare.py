"""A fixed, tiny page for the benchmark (bench/run.py): the cost of the server and middleware alone,
against which every real page's throughput is compared. No database, no template, no user data."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

BODY = "<!doctype html><title>ok</title><p>ok</p>"


@login_not_required
def bare(request):
    return HttpResponse(BODY)
