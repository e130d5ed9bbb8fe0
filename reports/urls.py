from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_view, name="summary"),
    path("reports/summary.<str:file_format>", views.report_download, name="download"),
    path("reports/briefing.docx", views.report_briefing, name="briefing"),
    path("reports/tables/<slug:key>.csv", views.report_csv, name="table-csv"),
    path("reports/records/<slug:key>.<str:file_format>", views.record_export, name="records"),
    path("reports/exports/<str:job_id>/", views.export_job, name="export-job"),
    path("reports/exports/<str:job_id>/download", views.export_download, name="export-download"),
]
