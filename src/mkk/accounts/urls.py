from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_verify, name="otp"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
]
