import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP


class ChosenLanguageMiddleware:
    """Simplified Chinese for everyone unless they chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an English
    browser would see English first. The committee wants Chinese by default: only the language
    cookie set by the language switch (Django's ``set_language`` view) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Inline attributes in third-party admin templates, allowed by their exact hash only: an injected
# handler or style with any other content stays blocked. Hashes are sha256 of the attribute value.
ADMIN_SCRIPT_ATTRIBUTE_HASHES = [
    # django-import-export admin/import_export/export.html, "Select all" checkbox:
    # onchange="onSelectToggleChange(event)"
    "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
]
ADMIN_STYLE_ATTRIBUTE_HASHES = [
    "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # export.html: "padding: 0;"
    "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # export.html: "font-weight: bold;"
    # django-simple-history object_history_list.html: "border-top: 0"
    "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
]


class AdminContentSecurityPolicyMiddleware:
    """The site's strict policy, plus the few hashed inline attributes the admin's add-ons use.

    Django's own admin needs nothing (it uses nonces and data-only JSON scripts), but
    django-import-export's export page has one inline ``onchange`` handler and two ``style``
    attributes, and django-simple-history's history page one ``style``. Allowing exactly those
    (``'unsafe-hashes'`` with each value's hash) on admin pages keeps ``'unsafe-inline'`` out of
    every policy. Must sit after Django's ContentSecurityPolicyMiddleware in MIDDLEWARE, so that
    it sees the response first and that middleware then builds the header from this policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match and "admin" in match.namespaces and not hasattr(response, "_csp_config"):
            policy = dict(settings.SECURE_CSP)
            policy["script-src"] = [
                *policy.get("script-src", [CSP.SELF]),
                CSP.UNSAFE_HASHES,
                *ADMIN_SCRIPT_ATTRIBUTE_HASHES,
            ]
            policy["style-src"] = [
                *policy.get("style-src", [CSP.SELF]),
                CSP.UNSAFE_HASHES,
                *ADMIN_STYLE_ATTRIBUTE_HASHES,
            ]
            # The attribute Django's @csp_override decorator sets; the admin's views are not ours
            # to decorate.
            response._csp_config = policy
        return response


class StaffSessionExpiryMiddleware:
    """Staff sessions end STAFF_SESSION_SECONDS after logging in; members' keep SESSION_COOKIE_AGE.

    A fixed deadline, not an idle timeout: it is set once (the session then holds a date), so a
    staff login left open on a shared computer ends within a working day whatever happens on it,
    and later requests do not write the session again. Checked after the view, so the login
    request itself already gets it. Must sit after AuthenticationMiddleware in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            limit = settings.STAFF_SESSION_SECONDS
            if request.session.get_expiry_age() > limit:
                request.session.set_expiry(timedelta(seconds=limit))
        return response


def client_ip_address(request):
    """The client's address as login throttling counts it (django-axes' AXES_CLIENT_IP_CALLABLE).

    With no trusted proxy (TRUSTED_PROXY_COUNT 0) it is REMOTE_ADDR and X-Forwarded-For is
    ignored: anyone can send that header. Behind N trusted proxies each appends the address it
    received the request from, so the N-th entry from the right was written by the outermost
    proxy and is the client's; entries to its left are the client's own and may be forged. A
    header too short for N, or not an address there, falls back to REMOTE_ADDR.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


class AccountResetAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler, but a successful login clears only its own account's failures.

    The stock handler (AXES_RESET_ON_SUCCESS) also clears every failure from the client's address,
    so one working login would let its owner guess at other accounts' passwords without end.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0  # reset_attempts() with no filter would clear every account's failures
        return self.reset_attempts(username=username)
