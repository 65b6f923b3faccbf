"""``pharmacy-pos-cli``: the use cases without a screen.

Exit status: 0 done; 1 refused by a rule or invalid input (nothing changed) or ``verify``
found a problem; 2 wrong usage; 3 the environment failed (database, files).
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PosError, ValidationFailed
from pharmacy_pos.domain.roles import Role

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3
_ROLE_BY_NAME = {r.value: r for r in Role} | {r.label: r for r in Role}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pharmacy-pos-cli", description="定点零售药店收银系统 命令行工具"
    )
    parser.add_argument("--database", help="数据库 URL（默认: 环境变量或用户数据目录中的 SQLite）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    init = sub.add_parser("init", help="初始化数据库、药店和第一个管理员")
    init.add_argument("--store-code", help="定点药店编码（默认取设置）")
    init.add_argument("--store-name", required=True, help="药店名称")
    init.add_argument("--admin-user", default="admin", help="管理员用户名")
    init.add_argument("--admin-name", default="系统管理员", help="管理员姓名")
    init.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")

    demo = sub.add_parser("demo", help="载入演示数据（空数据库）")
    demo.add_argument("--seed", type=int, default=2026, help="随机种子")

    imp = sub.add_parser("import-catalogue", help="从 CSV/XLSX 导入商品目录（有错误则不导入）")
    imp.add_argument("file", type=Path)
    imp.add_argument("--approver", default="",
                     help="调价审批人（店长）用户名：导入改变零售价时必填（SEC-2）")
    imp.add_argument("--password-stdin", action="store_true",
                     help="从标准输入读取审批人密码")

    sub.add_parser("verify", help="校验台账与审计日志哈希链及库存等式")
    check = sub.add_parser(
        "check", help="检查数据库能否打开：文件、哈希链末尾；--full 另做完整性检查与全链校验")
    check.add_argument("--full", action="store_true",
                       help="完整检查（PRAGMA integrity_check 与 verify，数据多时需数秒；"
                            "通过后清除上次失败的记录）")

    users = sub.add_parser("users", help="用户管理")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="操作")
    add = users_sub.add_parser("add", help="新增用户")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--role", action="append", required=True,
                     help="角色，可多次指定: " + ", ".join(r.value for r in Role))
    add.add_argument("--qualification", default="", help="药师资格证号")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    freeze = users_sub.add_parser("freeze", help="冻结用户（离职人员，不删除）")
    freeze.add_argument("username")
    freeze.add_argument("--reason", required=True, help="冻结原因")
    users_sub.add_parser("list", help="列出用户")

    blacklist = sub.add_parser("blacklist", help="挂失/冒用社保卡名单 (ID-3)")
    black_sub = blacklist.add_subparsers(dest="blacklist_command", required=True, metavar="操作")
    b_add = black_sub.add_parser("add", help="加入名单")
    b_add.add_argument("card_number")
    b_add.add_argument("--reason", required=True, help="原因")
    b_add.add_argument("--ssn", default="", help="社会保障号码（可选）")
    b_imp = black_sub.add_parser(
        "import", help="从 CSV 导入（卡号,社会保障号码,原因），有错则不导入")
    b_imp.add_argument("file", type=Path)
    b_lift = black_sub.add_parser("lift", help="解除（记录保留）")
    b_lift.add_argument("card_number")
    b_lift.add_argument("--reason", required=True, help="原因")
    b_list = black_sub.add_parser("list", help="列出名单")
    b_list.add_argument("--all", action="store_true", help="包括已解除的")

    policy = sub.add_parser("policy", help="政策参数：查看、历史、安装新版本（须店长审批）")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True, metavar="操作")
    policy_sub.add_parser("show", help="显示现行政策")
    policy_sub.add_parser("history", help="列出已安装的政策版本（最新在前）")
    p_install = policy_sub.add_parser(
        "install", help="从 TOML 文件安装新版本：须店长凭本人密码审批（SEC-2），记入审计日志")
    p_install.add_argument("file", type=Path)
    p_install.add_argument("--manager", required=True, help="审批的店长用户名（第二人，SEC-2）")
    p_install.add_argument("--password-stdin", action="store_true",
                           help="从标准输入读取店长密码")

    sub.add_parser("expire", help="将已过有效期的批次标记为过期、禁止销售（可每晚定时运行）")

    receive = sub.add_parser(
        "receive", help="按随货单收货（CSV/XLSX；有错则不收货），货物待质量验收 (INV-2)")
    receive.add_argument("file", type=Path, help="随货单文件（格式见 docs/receiving-format.md）")
    receive.add_argument("--supplier", required=True, help="供应商名称（须已建档、许可证有效）")
    receive.add_argument("--note", required=True, help="随货单号")
    receive.add_argument("--invoice-code", default="", help="发票代码")
    receive.add_argument("--invoice-no", default="", help="发票号码")
    receive.add_argument("--user", help="收货人用户名（须有采购收货权限）")

    supplier = sub.add_parser("supplier", help="供应商档案（许可证有效才能收货，INV-2）")
    supplier_sub = supplier.add_subparsers(dest="supplier_command", required=True)
    s_add = supplier_sub.add_parser("add", help="登记供应商")
    s_add.add_argument("name", help="供应商名称")
    s_add.add_argument("--licence", required=True, help="药品经营许可证编号")
    s_add.add_argument("--licence-expiry", required=True, type=_day,
                       help="许可证有效期至 YYYY-MM-DD")
    s_add.add_argument("--credit-code", default="", help="统一社会信用代码（18 位）")
    s_add.add_argument("--contact", default="", help="联系人")
    s_add.add_argument("--phone", default="", help="电话")
    supplier_sub.add_parser("list", help="列出供应商及许可证是否有效")

    _report_parser(sub)

    card_use = sub.add_parser(
        "card-use", help="刷卡异常统计：同日重复刷卡 (ID-8)、一卡多人/一人多卡 (ID-9)")
    card_use.add_argument("--from", dest="first_day", type=_day, required=True, help="YYYY-MM-DD")
    card_use.add_argument("--to", dest="last_day", type=_day, required=True, help="YYYY-MM-DD")

    sim = sub.add_parser("insurer-sim", help="运行本机医保平台模拟器（HTTP，仅 127.0.0.1）")
    sim.add_argument("--port", type=int, default=8780, help="端口（默认 8780；0 = 任选空闲端口）")
    sim.add_argument("--data", type=Path,
                     help="模拟器账本文件（默认: 数据目录/insurer-sim.sqlite3）")
    sim.add_argument("--profile", default="national",
                     help="接口配置名或 TOML 文件（默认 national）")
    sim.add_argument("--catalogue", type=Path, help="医保目录 CSV（默认随附演示目录）")
    sim.add_argument("--policy", type=Path, help="政策文件 TOML（取其 insurer 部分；默认内置参数）")
    sim.add_argument("--slow-ms", type=int, default=0, help="每次应答前延迟（毫秒）")
    sim.add_argument("--error-rate", type=float, default=0.0, help="随机返回 503 的比例 0..1")
    sim.add_argument("--drop-rate", type=float, default=0.0, help="随机断开连接的比例 0..1")

    backup = sub.add_parser("backup", help="立即备份数据库（联机复制并校验，按类别轮换，SEC-6）")
    backup.add_argument("--list", action="store_true", help="只列出已有备份")
    restore = sub.add_parser("restore",
                             help="从备份恢复：先校验副本与台账链，再备份当前库，然后替换")
    restore.add_argument("file", type=Path, help="备份文件")
    restore.add_argument("--yes", action="store_true", help="确认替换当前数据库")

    upload = sub.add_parser("upload",
                            help="医保进销存上传：状态、立即上传、列出记录 (INV-6, SEC-7)")
    upload_sub = upload.add_subparsers(dest="upload_command", required=True)
    upload_sub.add_parser("status", help="待上传/被拒绝/已上传条数，最近成功时间")
    upload_sub.add_parser("run", help="立即上传所有待上传记录（医保平台不应答时停止，记录保留）")
    u_list = upload_sub.add_parser("list", help="列出上传记录（最新在前）")
    u_list.add_argument("--state", choices=["pending", "refused", "done", "superseded"],
                        help="只列出该状态")
    u_list.add_argument("--limit", type=int, default=50)
    return parser


def _report_parser(sub: argparse._SubParsersAction) -> None:
    from pharmacy_pos.reports.catalog import REPORTS

    listing = "；".join(f"{k} {s.title} ({s.rule_id})" for k, s in sorted(REPORTS.items()))
    report = sub.add_parser(
        "report", help="生成报表（XLSX/CSV/PDF）",
        description=f"生成报表并写入文件。可用报表: {listing}")
    report.add_argument("key", choices=sorted(REPORTS), metavar="报表",
                        help=f"报表名: {listing}")
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", help="月份 YYYY-MM")
    when.add_argument("--from", dest="first_day", type=_day,
                      help="起始日 YYYY-MM-DD（须同时给 --to）")
    report.add_argument("--to", dest="last_day", type=_day, help="截止日 YYYY-MM-DD（含）")
    report.add_argument("--format", choices=("xlsx", "csv", "pdf"), default="xlsx",
                        help="文件格式（默认 xlsx）")
    report.add_argument("-o", "--output", type=Path, required=True, help="输出文件")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请用 YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ValidationFailed as exc:
        _err(f"错误: {exc}")
        for problem in exc.problems:
            _err(f"  - {problem}")
        return EXIT_REFUSED
    except DomainError as exc:
        _err(f"错误: {exc}")
        return EXIT_REFUSED
    except EnvironmentFault as exc:
        _err(f"环境错误: {exc}")
        # A database that refused to open (DatabaseCorrupt) names the copies to restore.
        for path in getattr(exc, "backups", ())[:5]:
            _err(f"  备份: {path}")
        return EXIT_ENVIRONMENT
    except PosError as exc:  # pragma: no cover - every PosError is one of the above
        _err(f"错误: {exc}")
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _err("已中断")
        return 130


def _run(args: argparse.Namespace) -> int:
    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.services.startup_check import DatabaseCorrupt
    from pharmacy_pos.settings import Settings

    overrides = {"database_url": args.database} if args.database else {}
    settings = Settings(**overrides)
    if settings.training:
        # PHARMACY_POS_TRAINING=1: the commands act on the training database, as the app
        # does, never on the store's.
        if args.database:
            raise DomainError("培训模式（PHARMACY_POS_TRAINING）下不能用 --database 指定数据库")
        settings = settings.for_training()
        _err(f"培训模式：使用培训数据库（{settings.data_dir}）")
    if args.command == "insurer-sim":
        # The simulator is the insurer's side: it needs no till database.
        return _cmd_insurer_sim(settings, args)
    if args.command == "check":
        return _cmd_check(settings, args)
    if args.command == "restore":
        if not args.yes:
            raise DomainError("恢复会替换当前数据库（替换前自动备份当前库）：确认请加 --yes")
        try:
            context = build_context(settings)
        except DatabaseCorrupt as exc:
            # The damaged database cannot be opened, backed up or written: restore
            # without it (it is moved aside, never deleted).
            return _restore_damaged(settings, args.file, exc)
    else:
        context = build_context(settings)
    try:
        if context.migration.upgraded:
            _out(f"数据库已升级到版本 {context.migration.to_revision}")
            if context.migration.backup:
                _out(f"升级前备份: {context.migration.backup}")
        handler = {
            "init": _cmd_init, "demo": _cmd_demo, "import-catalogue": _cmd_import,
            "verify": _cmd_verify, "users": _cmd_users, "blacklist": _cmd_blacklist,
            "card-use": _cmd_card_use, "policy": _cmd_policy, "expire": _cmd_expire,
            "receive": _cmd_receive, "report": _cmd_report, "supplier": _cmd_supplier,
            "upload": _cmd_upload, "backup": _cmd_backup, "restore": _cmd_restore,
        }[args.command]
        return handler(context, args)
    finally:
        context.close()


def _operator() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"cli:{name}"


def _actor(context):
    from pharmacy_pos.services.actor import Actor

    store = context.store
    if store is None:
        raise DomainError("尚未初始化：请先运行 pharmacy-pos-cli init 或 pharmacy-pos-cli demo")
    return Actor.system(store.id, context.settings.terminal_id, _operator())


def _read_password(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise DomainError("没有终端可输入密码：请使用 --password-stdin")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入: ") != first:
        raise DomainError("两次输入的密码不一致")
    return first


def _cmd_init(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.actor import Actor
    from pharmacy_pos.services.setup import create_first_admin, ensure_store

    code = args.store_code or context.settings.store_code
    store, created = ensure_store(
        context.uow, context.clock, code=code, name=args.store_name, operator=_operator(),
        terminal_id=context.settings.terminal_id,
    )
    _out(f"药店 {store.code}「{store.name}」" + ("已创建" if created else "已存在"))
    context.refresh_store()
    context.ensure_policy_installed(_operator())
    actor = Actor.system(store.id, context.settings.terminal_id, _operator())
    with context.uow(readonly=True) as uow:
        has_users = uow.users.count(store.id) > 0
    if has_users:
        _out("本店已有用户，未创建管理员")
        return EXIT_OK
    password = _read_password(args.password_stdin, f"管理员 {args.admin_user} 的密码: ")
    create_first_admin(
        context.uow, context.clock, context.policy.security, actor,
        username=args.admin_user, display_name=args.admin_name, password=password,
    )
    _out(f"管理员 {args.admin_user} 已创建")
    return EXIT_OK


def _cmd_demo(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.paths import resource
    from pharmacy_pos.services.demo import DEMO_PASSWORD, DEMO_USERS, prepare_demo_store

    started = time.perf_counter()
    summary = prepare_demo_store(
        context.uow, context.clock, store_code=context.settings.store_code,
        terminal_id=context.settings.terminal_id, operator=_operator(),
        catalogue=resource("demo", "catalogue.csv"), seed=args.seed,
    )
    _out(f"演示数据已载入（{time.perf_counter() - started:.1f} 秒）: "
         f"{summary.products} 个商品，{summary.suppliers} 家供应商，{summary.batches} 个批次"
         f"（过期 {summary.expired_batches}，90 天内近效期 {summary.near_expiry_batches}），"
         f"{summary.ledger_entries} 条台账")
    context.refresh_store()
    context.ensure_policy_installed(_operator())
    _out(f"演示账号（密码均为 {DEMO_PASSWORD}）:")
    for username, name, roles, _ in DEMO_USERS:
        _out(f"  {username:<12} {name}  {'、'.join(r.label for r in roles)}")
    return EXIT_OK


def _cmd_import(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.catalogue import CatalogueService

    actor = _actor(context)
    service = CatalogueService(context.uow, context.clock, lambda u, p: context.users.authenticate(
        u, p, terminal_id=context.settings.terminal_id))
    approver = password = ""
    # A price change needs a store manager's approval (SEC-2): ask only when one changes.
    if changes := service.price_changes(actor, args.file):
        if not args.approver:
            for change in changes:
                _err(f"调价 {change.item_code} {change.name}: "
                     f"{change.old_price:.2f} → {change.new_price:.2f}")
            raise DomainError(f"本次导入调整 {len(changes)} 个商品的零售价，须由店长审批："
                              "请加 --approver 店长用户名", rule_id="SEC-2")
        approver = args.approver
        password = _read_secret(args.password_stdin, f"审批人 {approver} 的密码: ")
    result = service.import_file(actor, args.file, approver=approver,
                                 approver_password=password)
    _out(f"导入完成: 新增 {result.added}，更新 {result.updated}，未变 {result.unchanged}")
    return EXIT_OK


def _cmd_verify(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.verify import verify_database

    started = time.perf_counter()
    report = verify_database(context.uow)
    elapsed = time.perf_counter() - started
    for chain in report.chains:
        state = "断裂" if chain.broken else "完好"
        _out(f"{chain.chain}: {chain.count} 条，{state}")
    if report.ok:
        _out(f"校验通过（{elapsed:.2f} 秒）")
        return EXIT_OK
    if first := report.first_break:
        _err(f"第一处断裂: {first}")
    for problem in report.problems():
        _err(f"  - {problem}")
    _err("校验失败")
    return EXIT_REFUSED


def _cmd_users(context, args: argparse.Namespace) -> int:
    actor = _actor(context)
    service = context.users
    if args.users_command == "list":
        for user in service.list_users(actor):
            roles = "、".join(r.label for r in user.roles)
            state = f"已冻结（{user.frozen_reason}）" if user.frozen else "在用"
            qualification = f" 资格证 {user.pharmacist_qualification_no}" if (
                user.pharmacist_qualification_no) else ""
            _out(f"{user.username:<14} {user.display_name:<6} {roles}{qualification}  {state}")
        return EXIT_OK
    if args.users_command == "freeze":
        user = service.freeze(actor, args.username, reason=args.reason)
        _out(f"用户 {user.username} 已冻结")
        return EXIT_OK
    roles = []
    for name in args.role:
        role = _ROLE_BY_NAME.get(name.strip())
        if role is None:
            raise DomainError(f"未知角色“{name}”，可选: {', '.join(r.value for r in Role)}")
        roles.append(role)
    password = _read_password(args.password_stdin, f"{args.username} 的密码: ")
    user = service.add_user(actor, username=args.username, display_name=args.name,
                            password=password, roles=roles,
                            qualification_no=args.qualification)
    _out(f"用户 {user.username} 已创建: {'、'.join(r.label for r in user.roles)}")
    return EXIT_OK


def _identity(context):
    from pharmacy_pos.services.identity import IdentityService

    return IdentityService(context.uow, context.clock, context.policy.identity)


def _cmd_blacklist(context, args: argparse.Namespace) -> int:
    actor = _actor(context)
    service = _identity(context)
    command = args.blacklist_command
    if command == "add":
        service.blacklist_add(actor, args.card_number, reason=args.reason, ssn=args.ssn)
        _out(f"卡号 {args.card_number} 已加入挂失卡名单")
    elif command == "import":
        added = service.blacklist_import(actor, args.file)
        _out(f"导入完成: 新增 {added} 张卡")
    elif command == "lift":
        service.blacklist_lift(actor, args.card_number, reason=args.reason)
        _out(f"卡号 {args.card_number} 已解除挂失（记录保留）")
    else:
        entries = service.blacklist(actor, include_lifted=args.all)
        for e in entries:
            state = "已解除" if e.lifted else "有效"
            _out(f"{e.card_number:<12} {e.masked_ssn:<18} {e.reason}  {e.source}  "
                 f"{local_text(e.added_at)} {e.added_by}  {state}")
        if not entries:
            _out("名单为空")
    return EXIT_OK


def policy_service_for(context):
    """The store's policy service."""
    return context.policy_service


def _cmd_policy(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.policy import changed_rows, read_policy_file

    actor = _actor(context)
    service = policy_service_for(context)
    command = args.policy_command
    if command == "show":
        active = service.current()
        _out(f"政策版本: {active.version}（{active.policy.region}，"
             f"{active.policy.effective_from.isoformat()} 起生效）")
        _out(f"sha256: {active.sha256}")
        if active.installed_at is None:
            _out("安装: 尚未安装，使用随附默认政策")
        else:
            _out(f"安装: {local_text(active.installed_at)} {active.installed_by}")
        for label, value in service.describe(active):
            _out(f"  {label}: {value}")
        return EXIT_OK
    if command == "history":
        versions = service.history(actor)
        for number, v in enumerate(versions):
            state = "  现行" if number == 0 else ""
            effective = v.effective_from.isoformat() if v.effective_from else "?"
            _out(f"{v.version:<12} {v.short_sha}  {local_text(v.installed_at)} "
                 f"{v.installed_by:<12} {v.region} {effective} 起{state}")
        if not versions:
            _out("尚未安装任何版本（使用随附默认政策）")
        return EXIT_OK
    text = read_policy_file(args.file)
    new = service.preview(text, source=str(args.file))  # refuse a bad file before asking
    password = _read_secret(args.password_stdin, f"店长 {args.manager} 的密码: ")
    approver = context.users.authenticate(args.manager, password,
                                          terminal_id=context.settings.terminal_id)
    old = service.current()
    active = service.install(actor, text, source=str(args.file), approver=approver)
    _out(f"政策已安装: {old.version} → {active.version}（sha256 {active.short_sha}，"
         f"审批: {approver.username}）")
    for label, before, after in changed_rows(service, old, new):
        _out(f"  {label}: {before} → {after}")
    return EXIT_OK


def _read_secret(from_stdin: bool, prompt: str) -> str:
    # An existing password is asked once (no confirmation, unlike a new one).
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise DomainError("没有终端可输入密码：请使用 --password-stdin")
    return getpass.getpass(prompt)


def _cmd_card_use(context, args: argparse.Namespace) -> int:
    if args.last_day < args.first_day:
        raise DomainError("结束日期不能早于开始日期")
    flags = _identity(context).card_use_flags(_actor(context), args.first_day, args.last_day)
    for flag in flags:
        _out(f"[{flag.rule_id}] {flag.subject}: {flag.detail}")
    _out(f"共 {len(flags)} 条")
    return EXIT_OK


def _cmd_backup(context, args: argparse.Namespace) -> int:
    if args.list:
        for path in context.backups.copies():
            _out(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
        return EXIT_OK
    copy = context.backups.backup(_actor(context))
    _out(f"已备份并校验：{copy.path}（{copy.size / 1e6:.1f} MB，{copy.seconds:.1f} 秒）")
    for old in copy.removed:
        _out(f"已轮换删除旧备份：{old.name}")
    return EXIT_OK


def _cmd_restore(context, args: argparse.Namespace) -> int:
    result = context.backups.restore(_actor(context), args.file)
    _out(f"已从 {result.restored_from} 恢复（校验台账 {result.entries_checked} 条）；"
         f"恢复前的数据库已备份到 {result.safety_copy}")
    return EXIT_OK


def _cmd_check(settings, args: argparse.Namespace) -> int:
    from pharmacy_pos.bootstrap import database_check
    from pharmacy_pos.db.engine import make_engine
    from pharmacy_pos.db.uow import UnitOfWorkFactory
    from pharmacy_pos.domain.clock import SystemClock
    from pharmacy_pos.services.setup import find_store

    engine = make_engine(settings.resolved_database_url())
    try:
        uow = UnitOfWorkFactory(engine)
        checks = database_check(settings, engine, uow, SystemClock())
        started = time.perf_counter()
        try:
            if args.full:
                # A full check judges afresh: a failure remembered earlier is not a
                # reason to skip it (it is cleared if everything passes now).
                checks.before_open(remembered=False)
            else:
                checks.before_open()
            checks.after_open()
        except EnvironmentFault as exc:  # DatabaseCorrupt, or the file cannot be read
            _err(f"检查未通过: {exc}")
            return EXIT_REFUSED
        _out(f"快速检查通过（文件、哈希链末尾，{time.perf_counter() - started:.2f} 秒）")
        if not args.full:
            return EXIT_OK
        store = find_store(uow, settings.store_code)
        actor = None
        if store is not None:
            from pharmacy_pos.services.actor import Actor

            actor = Actor.system(store.id, settings.terminal_id, _operator())
        result = checks.full(actor, workers=None)
        if not result.ok:
            _err("完整检查未通过（下次启动将拒绝打开数据库，请从备份恢复）：")
            for problem in result.problems:
                _err(f"  - {problem}")
            return EXIT_REFUSED
        what = "完整性检查、" if result.file_checked else ""
        _out(f"完整检查通过（{what}台账 {result.ledger_entries} 条、"
             f"审计 {result.audit_records} 条，{result.seconds:.1f} 秒）")
        return EXIT_OK
    finally:
        engine.dispose()


def _restore_damaged(settings, copy: Path, refusal) -> int:
    from sqlalchemy.engine import make_url

    from pharmacy_pos.db.uow import UnitOfWorkFactory
    from pharmacy_pos.domain.clock import SystemClock
    from pharmacy_pos.services.actor import Actor
    from pharmacy_pos.services.setup import find_store
    from pharmacy_pos.services.startup_check import marker_for, restore_damaged_database

    if not refusal.sqlite:
        raise refusal  # PostgreSQL: pg_restore (README)
    # The URL names the file; no engine is opened on the damaged database.
    database = Path(make_url(settings.resolved_database_url()).database or "")

    def actor_in_copy(uow: UnitOfWorkFactory) -> Actor:
        store = find_store(uow, settings.store_code)
        if store is None:
            raise DomainError(f"备份副本中没有本店（编码 {settings.store_code}），未恢复",
                              rule_id="SEC-6")
        return Actor.system(store.id, settings.terminal_id, _operator())

    _err("当前数据库未通过检查：" + "；".join(refusal.problems[:3]))
    result = restore_damaged_database(
        database, copy, backup_dir=settings.backup_dir,
        marker=marker_for(database, settings.data_dir), clock=SystemClock(),
        actor_in_copy=actor_in_copy)
    _out(f"已从 {result.restored_from} 恢复（校验台账 {result.ledger_entries} 条）；"
         "损坏的数据库已移至：" + "，".join(str(p) for p in result.damaged))
    return EXIT_OK


def _cmd_upload(context, args: argparse.Namespace) -> int:
    actor = _actor(context)
    uploads = context.uploads
    if args.upload_command == "run":
        result = uploads.run_pass(progress=lambda done, total: None)
        _out(f"已上传 {result.sent} 条（其中重复已忽略 {result.duplicates} 条），被拒绝 "
             f"{result.refused} 条，仍待上传 {result.remaining} 条")
        if result.stopped:
            _err(f"上传中止：{result.stopped}（记录保留，稍后自动重传）")
            return EXIT_ENVIRONMENT
        return EXIT_OK
    if args.upload_command == "list":
        states = (args.state,) if args.state else ()
        for item in uploads.items(actor, states=states, limit=max(1, args.limit)):
            error = f"  {item.last_error}" if item.last_error else ""
            _out(f"{item.id}\t{item.infno} {item.title}\t{item.doc_no}\t{item.fixmedins_bchno}"
                 f"\t{item.state_label}\t{item.tries} 次{error}")
        return EXIT_OK
    view = uploads.overview(actor)
    oldest = f"（最早 {_local_time(view.oldest_pending_at)}）" if view.oldest_pending_at else ""
    _out(f"待上传 {view.pending} 条{oldest}，被拒绝 {view.refused} 条，已上传 {view.done} 条，"
         f"已更正 {view.superseded} 条；另有 {view.untaken} 张新单据待整理")
    _out(f"最近成功：{_local_time(view.last_success_at) if view.last_success_at else '无'}；"
         f"上传终端：{view.holder or '无'}")
    if view.last_attempt_at:
        _out(f"最近一次：{_local_time(view.last_attempt_at)} {view.last_outcome} "
             f"{view.last_message}".rstrip())
    return EXIT_REFUSED if view.refused else EXIT_OK


def _local_time(moment) -> str:
    from pharmacy_pos.domain.clock import STORE_ZONE

    return f"{moment.astimezone(STORE_ZONE):%Y-%m-%d %H:%M}"


def _cmd_expire(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.stockkeeping import StockkeepingService

    actor = _actor(context)
    service = StockkeepingService(
        context.uow, context.clock, context.policy.stock,
        lambda u, p: context.users.authenticate(u, p, terminal_id=context.settings.terminal_id),
        store_code=context.settings.store_code)
    changed = service.expire_due_batches(actor)
    for c in changed:
        _out(f"{c.item_code} {c.generic_name} 批号 {c.lot_no} 有效期至 {c.expiry_date.isoformat()}"
             f"（{c.from_status.label} → {c.to_status.label}，库存 {c.units}）")
    _out(f"已标记过期 {len(changed)} 个批次" if changed else "没有需要标记过期的批次")
    return EXIT_OK


def _cmd_receive(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.receiving import ReceivingService

    actor = _actor(context)
    service = ReceivingService(context.uow, context.clock,
                               store_code=context.settings.store_code)
    result = service.receive_file(
        actor, args.file, supplier_name=args.supplier, delivery_note_no=args.note,
        invoice_code=args.invoice_code, invoice_no=args.invoice_no, receiver=args.user)
    _out(f"已收货 {result.doc_no}: {result.supplier_name} 随货单 {result.delivery_note_no}，"
         f"{len(result.line_ids)} 行，金额 {result.amount} 元；货物待质量验收，验收前不能销售")
    return EXIT_OK


def _cmd_supplier(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.services.receiving import ReceivingService

    actor = _actor(context)
    service = ReceivingService(context.uow, context.clock,
                               store_code=context.settings.store_code)
    if args.supplier_command == "add":
        added = service.add_supplier(
            actor, name=args.name, licence_no=args.licence,
            licence_expiry=args.licence_expiry, credit_code=args.credit_code,
            contact=args.contact, phone=args.phone)
        _out(f"供应商已登记: {added.name}（许可证 {added.licence_no}，"
             f"有效期至 {added.licence_expiry:%Y-%m-%d}）")
        return EXIT_OK
    for choice in service.suppliers(actor):
        state = "有效" if choice.licence_valid else "已过期"
        _out(f"{choice.name}\t{choice.licence_no}\t{choice.licence_expiry:%Y-%m-%d}\t{state}")
    return EXIT_OK


def _report_period(args: argparse.Namespace):
    from pharmacy_pos.reports.catalog import Period

    if args.month:
        try:
            return Period.parse_month(args.month)
        except ValueError as exc:
            raise DomainError(str(exc)) from None
    if args.last_day is None:
        raise DomainError("使用 --from 时须同时给出 --to")
    if args.last_day < args.first_day:
        raise DomainError("结束日期不能早于开始日期")
    return Period(args.first_day, args.last_day)


def _cmd_report(context, args: argparse.Namespace) -> int:
    from pharmacy_pos.reports.catalog import REPORTS

    period = _report_period(args)
    actor = _actor(context)
    spec = REPORTS[args.key]
    started = time.perf_counter()
    if args.format == "pdf":
        # PDF is laid out by Qt, which this process may not import: a child does it.
        command = [sys.executable, "-m", "pharmacy_pos.ui.report_pdf", "--report", spec.key,
                   "-o", str(args.output)]
        command += (["--month", args.month] if args.month else
                    ["--from", period.first.isoformat(), "--to", period.last.isoformat()])
        if args.database:
            command += ["--database", args.database]
        done = subprocess.run(command, check=False)
        if done.returncode != 0:
            raise EnvironmentFault(f"PDF 生成失败（退出码 {done.returncode}）")
        _out(f"{spec.title}（{period.label()}）已写入 {args.output}")
        return EXIT_OK
    from pharmacy_pos.reports import export

    report = spec.build(context.uow, actor, period, clock=context.clock,
                        insurer=context.insurer, identity=context.identity)
    if args.format == "xlsx":
        written = [export.write_xlsx(report, args.output)]
    else:
        written = export.write_csv(report, args.output)
    rows = sum(len(s.rows) for s in report.sections)
    files = "、".join(str(p) for p in written)
    _out(f"{spec.title}（{period.label()}）{rows} 行，已写入 {files}"
         f"（{time.perf_counter() - started:.1f} 秒）")
    return EXIT_OK


def _cmd_insurer_sim(settings, args: argparse.Namespace) -> int:
    from pharmacy_pos.insurance.simulator.server import run_simulator
    from pharmacy_pos.paths import resource

    profile = Path(args.profile)
    if profile.suffix != ".toml":
        profile = resource("insurer", f"{args.profile}.toml")
    try:
        run_simulator(
            port=args.port, db=args.data or settings.data_dir / "insurer-sim.sqlite3",
            profile=profile, catalogue=args.catalogue or resource("demo", "catalogue.csv"),
            policy=args.policy, slow_ms=args.slow_ms, error_rate=args.error_rate,
            drop_rate=args.drop_rate, announce=_out)
    except PosError:
        raise
    except ValueError as exc:   # a bad profile, catalogue or fault rate
        raise DomainError(f"模拟器配置有误：{exc}") from None
    except OSError as exc:      # the port is taken, the book file cannot be opened
        raise EnvironmentFault(f"模拟器无法启动：{exc}") from None
    return EXIT_OK


def _out(text: str) -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    raise SystemExit(main())
