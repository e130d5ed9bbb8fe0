from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from campaigns import views as campaign_views

urlpatterns = [
    # The front page is the campaign list: what the portal is for.
    path("", campaign_views.campaign_list, name="home"),
    path("campaigns/", include("campaigns.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("", include("honours.urls")),
    path("", include("reports.urls")),
    path("", include("members.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing).
    # Resolved per request: the static storage's manifest is not read at import time.
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
]
