from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("honour-roll/", views.honour_roll_view, name="honour-roll"),
    path("honour-roll/artworks/<path:name>", views.artwork_image, name="artwork-image"),
]
