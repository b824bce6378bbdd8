from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.accounts import views
from apps.accounts.views_registry import UsuarioViewSet

auth_urlpatterns = [
    path("login", views.LoginView.as_view(), name="auth-login"),
    path("refresh", views.RefreshView.as_view(), name="auth-refresh"),
    path("logout", views.LogoutView.as_view(), name="auth-logout"),
    path("me", views.MeView.as_view(), name="auth-me"),
    path("password", views.PasswordView.as_view(), name="auth-password"),
]

internal_urlpatterns = [
    path("revocaciones", views.RevocacionesView.as_view(), name="interno-revocaciones"),
]

router = SimpleRouter(trailing_slash="")
router.register("usuario", UsuarioViewSet, basename="usuario")
registry_urlpatterns = router.urls
