"""API URLs."""

urlpatterns: list = []
