"""Routes of the portfolio page (/portfolio/)."""

urlpatterns: list = []
