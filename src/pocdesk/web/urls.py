from django.urls import path, register_converter

from . import (
    urls_assessments,
    urls_execution,
    urls_final_report,
    urls_governance,
    urls_history_import,
    urls_model_evaluation,
    urls_portfolio,
    urls_priorities,
    urls_results,
    urls_scope,
    urls_series_import,
    urls_timebox,
    urls_weekly,
)
from .views import (
    accounts,
    documents,
    home,
    language,
    opportunities,
    plan,
    plan_agreement,
    plan_signoff,
    pocs,
    qualification,
    stakeholders,
)


class _OneOf:
    """A path segment that is one of a few fixed words (`words` in the subclasses)."""

    words: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.regex = "|".join(self.words)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


def _one_of(*words: str) -> type[_OneOf]:
    return type("OneOf", (_OneOf,), {"words": words})


register_converter(_one_of("criteria", "agreement"), "plankind")
register_converter(_one_of("vendor", "customer"), "signatureside")
register_converter(_one_of("objective", "agreement"), "plandocument")
register_converter(_one_of("pdf", "docx"), "documentformat")

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
    path("pocs/<int:poc_id>/plan/", plan.poc_plan, name="poc_plan"),
    path("pocs/<int:poc_id>/plan/criteria/new/", plan.criterion_create_page,
         name="criterion_create"),
    path("pocs/<int:poc_id>/plan/criteria/<int:criterion_id>/edit/", plan.criterion_edit_page,
         name="criterion_edit"),
    path("pocs/<int:poc_id>/plan/criteria/<int:criterion_id>/delete/",
         plan.criterion_delete_page, name="criterion_delete"),
    path("pocs/<int:poc_id>/plan/criteria/<int:criterion_id>/move/", plan.criterion_move_page,
         name="criterion_move"),
    path("pocs/<int:poc_id>/plan/criteria/<int:criterion_id>/library/",
         plan.criterion_to_library_page, name="criterion_to_library"),
    path("pocs/<int:poc_id>/plan/library/", plan.plan_library_page, name="plan_library"),
    path("pocs/<int:poc_id>/plan/copy/", plan.criteria_copy_page, name="criteria_copy"),
    path("pocs/<int:poc_id>/plan/agreement/start/", plan_agreement.agreement_start_page,
         name="agreement_start"),
    path("pocs/<int:poc_id>/plan/agreement/", plan_agreement.agreement_save_page,
         name="agreement_save"),
    path("pocs/<int:poc_id>/plan/resources/<int:resource_id>/status/",
         plan_agreement.resource_status_page, name="resource_status"),
    path("pocs/<int:poc_id>/plan/<plankind:kind>/submit/", plan_signoff.plan_submit_page,
         name="plan_submit"),
    path("pocs/<int:poc_id>/plan/<plankind:kind>/v<int:number>/sign/<signatureside:side>/",
         plan_signoff.plan_sign_page, name="plan_sign"),
    path("pocs/<int:poc_id>/plan/<plankind:kind>/diff/", plan_signoff.plan_diff_page,
         name="plan_diff"),
    path("pocs/<int:poc_id>/documents/<plandocument:kind>.<documentformat:fmt>",
         documents.poc_document_download, name="poc_document"),
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
    *urls_timebox.urlpatterns,
    *urls_scope.urlpatterns,
    *urls_execution.urlpatterns,
    *urls_series_import.urlpatterns,
    *urls_governance.urlpatterns,
    *urls_weekly.urlpatterns,
    *urls_results.urlpatterns,
    *urls_final_report.urlpatterns,
    *urls_portfolio.urlpatterns,
    *urls_model_evaluation.urlpatterns,
    *urls_assessments.urlpatterns,
    *urls_history_import.urlpatterns,
    *urls_priorities.urlpatterns,
]
