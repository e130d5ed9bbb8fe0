from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form refused for its CSRF check, as the portal's own page (settings.CSRF_FAILURE_VIEW):
    Django's own is in English and tells the user to set DEBUG=True. The reason is Django's
    English text for developers; the page says what the user can do."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
