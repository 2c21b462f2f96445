from django.db import migrations


def create_reasons(apps, schema_editor):
    from pocdesk.results.defaults import reasons_seed

    reasons_seed(apps.get_model("results", "LossReason"))


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]
    operations = [migrations.RunPython(create_reasons, migrations.RunPython.noop)]
