from django.urls import path

from . import views
from .api import api

app_name = "api"
urlpatterns = [
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/", api.urls),
]
