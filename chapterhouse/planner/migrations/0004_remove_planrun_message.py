from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("planner", "0003_planrun_reason"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="planrun",
            name="message",
        ),
    ]
