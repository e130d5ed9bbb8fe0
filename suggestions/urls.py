from django.urls import path

from suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_overview, name="overview"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("new/", views.suggestion_new, name="new"),
    path("mine/", views.my_suggestions, name="mine"),
    path("<int:pk>/withdraw/", views.suggestion_withdraw, name="withdraw"),
    path("files/<path:name>", views.attachment_download, name="attachment"),
]
