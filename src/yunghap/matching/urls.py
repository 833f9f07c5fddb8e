from .vocabulary_urls import urlpatterns as vocabulary_urlpatterns

app_name = "matching"

urlpatterns: list = [*vocabulary_urlpatterns]
