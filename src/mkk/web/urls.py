from django.conf import settings
from django.urls import path

from . import public, views

app_name = "web"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("health", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("my-work/", views.my_work, name="my_work"),
    path("public/<slug:code>/", public.public_municipality, name="public_municipality"),
]

if settings.MKK_BENCH_VIEWS:  # `make bench` only: the floor of the load run
    urlpatterns.append(path("bench/bare/", views.bench_bare, name="bench_bare"))
