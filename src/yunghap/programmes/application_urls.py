"""The application pages of the programmes (included by programmes/urls.py)."""

urlpatterns: list = []
