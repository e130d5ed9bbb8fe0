from django.urls import path, re_path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("pictures/<path:name>", views.take_part_image, name="take-part-image"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/share-(?P<variant>wide|square)\.png$",
        views.share_image,
        name="share-image",
    ),
    path("postings/<int:posting_id>/sign-up/", views.posting_signup_new, name="sign-up"),
    path(
        "sign-ups/<int:signup_id>/withdraw/",
        views.posting_signup_withdraw,
        name="sign-up-withdraw",
    ),
]
