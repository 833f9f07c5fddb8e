"""SavedSearch moves from `introductions` to `matching`: only Django's idea of the model moves.

The table keeps its name (`introductions_savedsearch`, and its `reported_postings` table), so no row is
copied. `introductions.0002_saved_search_moved_to_matching` removes the old state after this one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions and admin history follow the model: its content type changes app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="matching", model="savedsearch").exists():
        ContentType.objects.filter(app_label="introductions", model="savedsearch").update(app_label="matching")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="introductions", model="savedsearch").exists():
        ContentType.objects.filter(app_label="matching", model="savedsearch").update(app_label="introductions")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("introductions", "0001_initial"),
        ("matching", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SavedSearch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="이름")),
                        ("query", models.CharField(max_length=200, verbose_name="검색어")),
                        (
                            "kind",
                            models.CharField(
                                blank=True,
                                choices=[("", "제공·수요 모두"), ("offer", "기술 제공"), ("need", "기술 수요")],
                                default="",
                                max_length=8,
                                verbose_name="구분",
                            ),
                        ),
                        ("filters", models.JSONField(blank=True, default=dict, verbose_name="조건")),
                        (
                            "terms",
                            models.JSONField(blank=True, default=list, editable=False, verbose_name="분석 용어"),
                        ),
                        (
                            "analysed_at",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="분석 일시"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="등록일시")),
                        (
                            "last_checked_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="마지막 확인일시"),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_searches",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="소유자",
                            ),
                        ),
                        (
                            "reported_postings",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="matching.posting", verbose_name="알린 게시물"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "저장한 검색",
                        "verbose_name_plural": "저장한 검색",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "introductions_savedsearch",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
