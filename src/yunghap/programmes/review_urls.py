"""The review pages of the programmes (included by programmes/urls.py)."""

urlpatterns: list = []
