from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.i18n import set_language

from config import views
from members.forms import LoginForm

admin.site.site_header = _("Three Responsibilities: site administration")
admin.site.site_title = _("Site administration")
admin.site.index_title = _("Units, members and accounts")

handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Search engines may read the public honour board, nothing else. Also the benchmarks' floor page: the whole
    # middleware stack and a template, without a query.
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("help/", views.help_page, name="help"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm,
                                                         redirect_authenticated_user=True), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("movements.urls")),
    path("", include("campaigns.urls")),
    path("", include("reports.urls")),
]
