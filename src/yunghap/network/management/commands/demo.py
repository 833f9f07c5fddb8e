"""`yunghap demo`: fill an empty database with the demo network and one login per role.

It refuses (and exits 0, so that `make run` can call it every time) when groups or firms already exist.
`--reset --yes` deletes the network data (every group, firm and membership) first and sets the demo
logins up again (kept, since their personal-data access log must stay);
reference data (federations, KSIC, exchange types) stays. `--network-only` skips the other apps' data.

Extension protocol for the other apps
-------------------------------------
After the network and the demo logins exist, the command walks INSTALLED_APPS in order and, for every
`yunghap.*` app other than `network` that has a `demo` module, calls that module's

    build_demo(*, seed: int, stdout) -> None

and, before `--reset` deletes the network, its `reset_demo() -> None` if it has one (for data that
protects firms or groups from deletion).

`seed` is the command's seed (use it for your own `random.Random(seed)`, so the demo stays
deterministic); `stdout` is the command's output wrapper (write one Korean summary line). The function
reads what it needs from the database (groups, firms, memberships, the demo users in
`yunghap.network.demo.DEMO_USERNAMES`) and writes with bulk_create. Everything runs in one transaction:
an error in any app rolls the whole demo back and is raised, never swallowed.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
import unicodedata
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from yunghap.accounts.models import Role, User
from yunghap.network.demo import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    generate_network,
    write_network,
)
from yunghap.network.demo_users import create_demo_users
from yunghap.network.models import ExchangeGroup, Firm, Membership


def demo_builders() -> list[tuple[str, Any]]:
    """(app label, build_demo) of every installed yunghap app that ships one, in INSTALLED_APPS order."""
    builders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yunghap.") or config.label == "network":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)  # an import error here must surface
        build = getattr(module, "build_demo", None)
        if build is not None:
            builders.append((config.label, build))
    return builders


class Command(BaseCommand):
    help = _(
        "빈 데이터베이스에 시연용 교류 네트워크(교류회 274개, 회원사 5,684개)와 역할별 시연 계정을 만듭니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("난수 시드 (같은 시드는 같은 데이터)")
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_(
                "기존 교류회·회원사·가입 이력을 모두 지우고 다시 만듭니다. 시연 계정은 다시 설정합니다 (--yes 필요)."
            ),
        )
        parser.add_argument("--yes", action="store_true", help=_("--reset의 삭제를 확인합니다."))
        parser.add_argument(
            "--network-only",
            action="store_true",
            help=_(
                "교류 네트워크와 시연 계정만 만들고 다른 앱(활동, 실태조사 등)의 시연 데이터는 건너뜁니다."
            ),
        )

    def handle(
        self, *args: Any, seed: int, reset: bool, yes: bool, network_only: bool, **options: Any
    ) -> None:
        started, started_cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            if reset:
                if not yes:
                    raise CommandError(
                        _(
                            "--reset은 모든 교류회·회원사·가입 이력을 지웁니다. 확인하려면 --yes를 함께 지정하십시오."
                        )
                    )
                if getattr(settings, "PRODUCTION", False):
                    raise CommandError(_("운영 환경에서는 시연 데이터를 지울 수 없습니다."))
                self._delete_network()
            groups, firms = ExchangeGroup.objects.count(), Firm.objects.count()
            if groups or firms:
                self.stdout.write(
                    _(
                        "데이터베이스에 이미 교류회 %(groups)s개, 회원사 %(firms)s개가 있어 시연 데이터를 "
                        "만들지 않았습니다. 지우고 다시 만들려면 `yunghap demo --reset --yes`를 실행하십시오."
                    )
                    % {"groups": f"{groups:,}", "firms": f"{firms:,}"}
                )
                return
            taken = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
            if taken and not reset:
                raise CommandError(
                    _("시연 계정과 같은 이름의 사용자가 이미 있습니다: %(names)s")
                    % {"names": ", ".join(taken)}
                )

            step, step_cpu = time.perf_counter(), time.process_time()
            summary = write_network(generate_network(seed))
            self.stdout.write(
                _(
                    "교류 네트워크: 교류회 %(groups)s개, 회원사 %(firms)s개, 가입 이력 %(memberships)s건 "
                    "(%(sec).1f초, 이 프로세스 CPU %(cpu).1f초)"
                )
                % {
                    "groups": f"{summary['groups']:,}",
                    "firms": f"{summary['firms']:,}",
                    "memberships": f"{summary['memberships']:,}",
                    "sec": time.perf_counter() - step,
                    "cpu": time.process_time() - step_cpu,
                }
            )
            logins = create_demo_users()
            for label, build in [] if network_only else demo_builders():
                step = time.perf_counter()
                build(seed=seed, stdout=self.stdout)
                self.stdout.write(
                    _("  %(app)s 시연 데이터 (%(sec).1f초)")
                    % {"app": label, "sec": time.perf_counter() - step}
                )

        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("시연 계정 (비밀번호는 모두 %(password)s)") % {"password": DEMO_PASSWORD})
        )
        rows = [(_("아이디"), _("비밀번호"), _("역할"), _("범위"))] + [
            (login.username, DEMO_PASSWORD, str(Role(login.role).label), login.scope) for login in logins
        ]
        widths = [max(_display_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [
                cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths, strict=False)
            ]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        if getattr(settings, "OTP_REQUIRED_FOR_STAFF", True):
            # Staff sign in with a second factor; the demo hands out no secret, so it works like production.
            self.stdout.write(
                _(
                    "  central, seoul: 처음 로그인할 때 휴대전화의 인증 앱(TOTP)으로 QR 코드를 찍어 2단계 인증을 "
                    "등록합니다 (끄려면 OTP_REQUIRED_FOR_STAFF=0)."
                )
            )
        self.stdout.write(
            _("완료 (%(sec).1f초, 이 프로세스 CPU %(cpu).1f초, 시드 %(seed)s)")
            % {"sec": time.perf_counter() - started, "cpu": time.process_time() - started_cpu, "seed": seed}
        )

    def _delete_network(self) -> None:
        # Apps whose records protect firms (consortia name them) delete theirs first: `reset_demo()`.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("yunghap.") and importlib.util.find_spec(module_name) is not None:
                reset = getattr(importlib.import_module(module_name), "reset_demo", None)
                if reset is not None:
                    reset()
        # Memberships first: they cascade anyway, but deleting them in bulk avoids the collector's row-by-row work.
        Membership.objects.all().delete()
        ExchangeGroup.objects.all().delete()
        Firm.objects.all().delete()


def _display_width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
