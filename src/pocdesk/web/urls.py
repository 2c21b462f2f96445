from django.urls import path

from .views import accounts, home, language, opportunities, pocs, qualification, stakeholders

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("language/", language.set_language, name="set_language"),
    path("pocs/", pocs.poc_list_page, name="poc_list"),
    path("pocs/new/", pocs.poc_create_page, name="poc_create"),
    path("pocs/<int:poc_id>/", pocs.poc_detail, name="poc_detail"),
    path("pocs/<int:poc_id>/edit/", pocs.poc_edit_page, name="poc_edit"),
    path("pocs/<int:poc_id>/transition/", pocs.poc_transition_page, name="poc_transition"),
    path("pocs/<int:poc_id>/timeline/", pocs.poc_timeline, name="poc_timeline"),
    path("pocs/<int:poc_id>/override/", qualification.poc_override_page, name="poc_override"),
    path("pocs/<int:poc_id>/commitment/", qualification.poc_commitment_page,
         name="poc_commitment"),
    path("pocs/<int:poc_id>/engagements/", qualification.poc_engagement_page,
         name="poc_engagement"),
    path("pocs/<int:poc_id>/red-flags/", qualification.poc_red_flags_page,
         name="poc_red_flags"),
    path("stakeholders/new/", stakeholders.stakeholder_create_page, name="stakeholder_create"),
    path("stakeholders/<int:stakeholder_id>/edit/", stakeholders.stakeholder_edit_page,
         name="stakeholder_edit"),
    path("files/<int:file_id>/", qualification.stored_file_download, name="stored_file"),
    path("opportunities/", opportunities.opportunity_list_page, name="opportunity_list"),
    path("opportunities/new/", opportunities.opportunity_create_page, name="opportunity_create"),
    path("opportunities/<int:opportunity_id>/", opportunities.opportunity_detail,
         name="opportunity_detail"),
    path("opportunities/<int:opportunity_id>/edit/", opportunities.opportunity_edit_page,
         name="opportunity_edit"),
    path("accounts/", accounts.account_list_page, name="account_list"),
    path("accounts/new/", accounts.account_create_page, name="account_create"),
    path("accounts/<int:account_id>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:account_id>/edit/", accounts.account_edit_page, name="account_edit"),
]
