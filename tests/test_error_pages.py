"""The portal's own error pages (templates/404.html, 403.html, 403_csrf.html, 500.html): in
Chinese (English when chosen), with the navigation, a way home and whom to ask; the 500 page
renders without a database."""

import pytest
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from branch_portal.urls import urlpatterns as portal_urlpatterns
from tests.factories import MemberFactory, UserFactory
from tests.pages import text

HELP = (
    "需要帮助？社员请联系所在支社的基层组织管理员；基层组织管理员和工作人员请联系社市委机关，"
    "并说明页面地址和当时在做什么。"
)


def broken_view(request):
    raise RuntimeError("a bug")


# The portal's URLs plus one that fails, for the 500 page (@pytest.mark.urls).
urlpatterns = [path("broken/", broken_view), *portal_urlpatterns]


def hrefs(response) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', response.content.decode())


@pytest.mark.django_db
def test_404_page_is_the_portals_in_chinese(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "找不到这个页面" in text(response)
    assert text(response).count(HELP) == 1
    assert {"/", "/honour-roll/", "/suggestions/", "/accounts/login/"} <= set(hrefs(response))


@pytest.mark.django_db
def test_404_page_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"

    response = client.get("/no-such-page/")

    assert "Page not found" in text(response)
    assert "找不到" not in text(response)


@pytest.mark.django_db
def test_404_page_hides_the_codes_own_words(client):
    response = client.get("/campaigns/no-such-campaign/")

    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()


def test_403_page_admin_model_the_clerk_may_not_open(client, bob):
    client.force_login(bob)

    response = client.get("/admin/members/user/")

    assert response.status_code == 403
    assert "无权访问这个页面" in text(response)
    assert (
        text(response).count(
            "您的账号无权打开这个页面。如果您认为应当可以，请联系社市委机关核对您账号的角色和所属组织。"
        )
        == 1
    )


@pytest.mark.django_db
def test_403_page_member_login_in_the_admin_is_told_it_has_no_access(client):
    member = MemberFactory(user=UserFactory(username="zhaoli", is_staff=False)).user
    client.force_login(member)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert (
        text(response).count(
            "您当前登录的账号 zhaoli 无权进入管理后台。请退出后用工作人员账号登录。"
        )
        == 1
    )


@pytest.mark.django_db
def test_csrf_failure_page_says_what_to_do_not_debug():
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # the CSRF cookie, but the form's token is missing

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "表单已过期" in text(response)
    assert "DEBUG" not in response.content.decode()
    assert "/accounts/login/" in hrefs(response)
    assert "Cookie" not in text(response)
    assert text(response).count(HELP) == 1


@pytest.mark.django_db
def test_csrf_failure_page_without_cookie_asks_for_cookies():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "请允许本网站使用 Cookie" in text(response)


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_500_page_is_the_portals_in_chinese():
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "服务器出错了" in text(response)
    assert text(response).count(HELP) == 1
    assert {"/", "/honour-roll/", "/suggestions/"} <= set(hrefs(response))


def test_500_page_renders_without_the_database():
    # No database fixture: any query here fails the test (pytest-django blocks them).
    request = RequestFactory().get("/")

    with translation.override("zh-hans"):
        response = server_error(request)

    content = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-Hans">' in content
    assert "<h1>服务器出错了</h1>" in content
