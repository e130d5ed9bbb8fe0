from django.http import HttpResponse
from django.urls import path

from branch_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The framework's ceiling: the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
