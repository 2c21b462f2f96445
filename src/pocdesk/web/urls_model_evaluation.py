"""Routes of the win model's evaluation page, under /insights/sources/<id>/evaluation/."""

from django.urls import path

from .views import model_evaluation

urlpatterns: list = [
    path("insights/sources/<int:source_id>/evaluation/", model_evaluation.evaluation_page,
         name="model_evaluation"),
    path("insights/sources/<int:source_id>/evaluation/<int:evaluation_id>/progress/",
         model_evaluation.evaluation_progress, name="model_evaluation_progress"),
]
