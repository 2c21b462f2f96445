"""Routes of the win assessments on the opportunity page, under /opportunities/<id>/assessments/."""

from django.urls import path

from .views import assessments

urlpatterns: list = [
    path("opportunities/<int:opportunity_id>/assessments/", assessments.assessment_record_page,
         name="opportunity_assessment_record"),
    path("opportunities/<int:opportunity_id>/assessments/<int:assessment_id>/delete/",
         assessments.assessment_delete_page, name="opportunity_assessment_delete"),
    path("opportunities/<int:opportunity_id>/score/refresh/", assessments.score_refresh_page,
         name="opportunity_score_refresh"),
    path("opportunities/<int:opportunity_id>/score/override/", assessments.score_override_page,
         name="opportunity_score_override"),
]
