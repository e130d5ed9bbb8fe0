from django.urls import path

from honours import views

app_name = "honours"
urlpatterns = [
    path("honour-roll/", views.honour_roll_view, name="honour-roll"),
    path("honour-roll/print/", views.honour_roll_print_view, name="honour-roll-print"),
    path("honour-roll/artworks/<path:name>", views.artwork_image, name="artwork-image"),
]
