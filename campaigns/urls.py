from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("postings/<int:posting_id>/sign-up/", views.posting_signup_new, name="sign-up"),
    path(
        "sign-ups/<int:signup_id>/withdraw/",
        views.posting_signup_withdraw,
        name="sign-up-withdraw",
    ),
]
