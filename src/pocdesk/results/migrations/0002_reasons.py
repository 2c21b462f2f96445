from django.db import migrations


def create_reasons(apps, schema_editor):
    from pocdesk.results.defaults import REASONS

    LossReason = apps.get_model("results", "LossReason")
    for position, (code, en, zh, fr) in enumerate(REASONS):
        LossReason.objects.get_or_create(code=code, defaults={
            "label_en": en, "label_zh_hans": zh, "label_fr": fr, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]
    operations = [migrations.RunPython(create_reasons, migrations.RunPython.noop)]
