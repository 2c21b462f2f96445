"""Routes of the portfolio page (/portfolio/)."""

from django.urls import path

from .views import portfolio

urlpatterns: list = [
    path("portfolio/", portfolio.portfolio_page, name="portfolio"),
    path("portfolio/export/", portfolio.portfolio_export, name="portfolio_export"),
]
