"""A person's name becomes one field as written: 김 + 혜민 → "김혜민" (Hangul: family name first, no space),
Jane + Doe → "Jane Doe". The separate first and last names go."""

from django.db import migrations, models


def join_names(apps, schema_editor):
    from yunghap.core.korean import joined_name

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(first_name="", last_name="").only("pk", "first_name", "last_name"):
        User.objects.filter(pk=user.pk).update(name=joined_name(user.first_name, user.last_name)[:150])


def split_names(apps, schema_editor):
    from yunghap.core.korean import is_hangul

    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(name="").only("pk", "name"):
        name = user.name.strip()
        if is_hangul(name) and " " not in name and len(name) > 1:
            last, first = name[0], name[1:]
        else:
            first, _, last = name.rpartition(" ") if " " in name else (name, "", "")
        User.objects.filter(pk=user.pk).update(first_name=first[:150], last_name=last[:150])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name",
            field=models.CharField(blank=True, max_length=150, verbose_name="이름"),
        ),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("ko", "한국어"), ("en", "English")],
                default="ko",
                help_text="알림 메일을 이 언어로 보냅니다.",
                max_length=8,
                verbose_name="알림 언어",
            ),
        ),
        migrations.RunPython(join_names, split_names),
        migrations.RemoveField(model_name="user", name="first_name"),
        migrations.RemoveField(model_name="user", name="last_name"),
    ]
