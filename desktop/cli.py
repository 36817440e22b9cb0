"""`motcua`: the app (`gui`, the default) and headless commands for IT staff.

Exit codes: 0 success; 1 the command ran and found problems (check) or was
refused; 2 wrong usage; 3 `sync` ran but conflicts wait for an officer.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from desktop.paths import ENV_VAR, DataPaths, resolve_data_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _print_err(message: str) -> None:
    print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="motcua",
        description="Một Cửa — phần mềm bộ phận một cửa cấp xã (chạy ngoại tuyến, đồng bộ với tỉnh).",
    )
    p.add_argument(
        "--data-dir", metavar="THƯ_MỤC",
        help=f"thư mục dữ liệu của văn phòng (mặc định: biến môi trường {ENV_VAR} "
             "hoặc thư mục dữ liệu người dùng)",
    )
    sub = p.add_subparsers(dest="command", metavar="LỆNH")

    sub.add_parser("gui", help="mở giao diện (mặc định)")

    init = sub.add_parser("init", help="thiết lập văn phòng không cần giao diện (cho cán bộ IT)")
    init.add_argument("--office-name", help='tên cơ quan, ví dụ "UBND xã Tân Phú" '
                                           "(mặc định: theo motcua.toml)")
    init.add_argument("--agency-code", help="mã định danh cơ quan, ví dụ 000.00.01.H56 "
                                            "(mặc định: theo motcua.toml)")
    init.add_argument("--desk", help="số quầy tiếp nhận (1–9), khác nhau giữa các máy "
                                     "(mặc định: theo motcua.toml)")
    init.add_argument("--address", default="")
    init.add_argument("--place", default=None, help='địa danh in trên phiếu, ví dụ "Xã Tân Phú"')
    init.add_argument("--parent", default=None, help="cơ quan cấp trên")
    init.add_argument("--admin-user", required=True, help="tên đăng nhập của quản trị viên đầu tiên")
    init.add_argument("--admin-name", required=True, help="họ tên quản trị viên")
    init.add_argument(
        "--admin-password-env", metavar="BIẾN", default="MOTCUA_ADMIN_PASSWORD",
        help="đọc mật khẩu quản trị từ biến môi trường này (mặc định MOTCUA_ADMIN_PASSWORD); "
             "không có thì hỏi trên màn hình",
    )

    demo = sub.add_parser("demo", help="tạo văn phòng mẫu với thủ tục thật và hồ sơ mẫu")
    demo.add_argument("--dossiers", type=int, default=2000, help="số hồ sơ mẫu (mặc định 2000)")
    demo.add_argument("--seed", type=int, default=1)

    check = sub.add_parser("check", help="kiểm tra toàn vẹn dữ liệu, lược đồ, nhật ký, tệp")
    check.add_argument("--quick", action="store_true",
                       help="kiểm tra nhanh (quick_check; tệp số hóa chỉ so kích thước)")

    backup = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (khi ứng dụng đang chạy cũng được)")
    backup.add_argument("--list", action="store_true", help="liệt kê các bản sao lưu")

    sub.add_parser("smoke", help="tự kiểm tra bản đóng gói: nâng cấp dữ liệu, mở và đóng cửa sổ chính")
    diagnose = sub.add_parser("diagnose", help="gom nhật ký, phiên bản và kết quả kiểm tra vào một tệp zip "
                                                "cho bộ phận hỗ trợ (không có dữ liệu cá nhân)")
    diagnose.add_argument("--output", metavar="TỆP", help="nơi ghi tệp zip (mặc định: thư mục logs)")
    find = sub.add_parser("find", help="tìm hồ sơ theo mã, tên, số định danh, số điện thoại")
    find.add_argument("text", metavar="NỘI_DUNG", help='ví dụ "Nguyễn Văn An", 0912345678')
    find.add_argument("--limit", type=int, default=50, help="số hồ sơ tối đa (mặc định 50)")

    sync = sub.add_parser("sync", help="đồng bộ một lượt với máy chủ của tỉnh "
                                       "(mã thoát 0: thành công, 3: có xung đột cần xem)")
    sync.add_argument("--server", metavar="URL",
                      help="địa chỉ máy chủ của tỉnh, ví dụ https://motcua.tinh.gov.vn "
                           "(được lưu cho các lần sau)")
    sync.add_argument("--username", metavar="TÊN",
                      help="cán bộ đồng bộ (mặc định: mọi cán bộ đã lưu tài khoản đồng bộ trên "
                           "máy này); lần đầu mật khẩu lấy từ biến môi trường "
                           "MOTCUA_SYNC_PASSWORD hoặc hỏi trên màn hình")
    sync.add_argument("--ca-bundle", metavar="TỆP",
                      help="tệp chứng chỉ (CA) riêng của tỉnh, dạng PEM (được lưu cho các lần sau)")
    sync.add_argument("--timeout", type=float, default=30.0, metavar="GIÂY",
                      help="thời gian chờ mỗi yêu cầu (mặc định 30 giây)")

    report = sub.add_parser(
        "report", help="báo cáo định kỳ (Biểu số 06, sổ theo dõi) ra JSON, Excel hoặc PDF")
    report.add_argument("--report", default="bieu06", metavar="MÃ",
                        help="bieu06 (mặc định): Biểu số 06; mau06: sổ theo dõi hồ sơ")
    _period_arguments(report)
    report.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
    report.add_argument("--output", metavar="TỆP",
                        help="tệp kết quả (JSON mặc định in ra màn hình; Excel/PDF mặc định "
                             "<mã báo cáo>-<kỳ>.xlsx/.pdf trong thư mục hiện tại)")
    report.add_argument("--receiving-unit", metavar="TÊN",
                        help="đơn vị nhận báo cáo (mặc định: cơ quan cấp trên)")
    report.add_argument("--save", action="store_true",
                        help="lưu bản chốt số liệu và xếp hàng gửi lên tỉnh khi đồng bộ")

    indicators = sub.add_parser("indicators",
                                help="chỉ số phục vụ người dân (Quyết định 766) theo kỳ, JSON")
    _period_arguments(indicators)
    indicators.add_argument("--format", choices=("json",), default="json")
    indicators.add_argument("--output", metavar="TỆP", help="tệp JSON (mặc định: màn hình)")
    indicators.add_argument("--now", metavar="THỜI_ĐIỂM",
                            help="thời điểm tính các danh sách quá hạn, đến hạn (ISO, mặc định: "
                                 "bây giờ)")

    export = sub.add_parser("export", help="xuất hồ sơ (trừ hồ sơ mật) ra tệp JSON theo định "
                                           "dạng Cổng DVCQG, kèm quá trình xử lý")
    export.add_argument("--format", choices=("dvcqg",), default="dvcqg")
    export.add_argument("--from", dest="start", metavar="NGÀY",
                        help="hồ sơ tiếp nhận từ ngày (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", metavar="NGÀY",
                        help="hồ sơ tiếp nhận đến hết ngày (YYYY-MM-DD)")
    export.add_argument("--output", metavar="TỆP", help="tệp JSON (mặc định: màn hình)")
    import_ = sub.add_parser("import", help="nhập hồ sơ từ tệp JSON theo định dạng Cổng DVCQG "
                                            "(chuyển từ hệ thống khác; hồ sơ đã có được bỏ qua)")
    import_.add_argument("file", metavar="TỆP")

    restore = sub.add_parser("restore", help="khôi phục từ một bản sao lưu")
    restore.add_argument("file", nargs="?", help="tệp sao lưu; bỏ trống để dùng --latest")
    restore.add_argument("--latest", action="store_true", help="dùng bản sao lưu mới nhất")
    return p


def _period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", metavar="KỲ",
                        help="2026-09 (tháng), 2026-Q3 (quý), 2026-H1 (6 tháng), 2026 (năm)")
    parser.add_argument("--from", dest="start", metavar="NGÀY",
                        help="từ ngày (YYYY-MM-DD), dùng với --to thay cho --period")
    parser.add_argument("--to", dest="end", metavar="NGÀY", help="đến ngày (YYYY-MM-DD)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = resolve_data_dir(args.data_dir)
    command = args.command or "gui"
    if command == "gui":
        from desktop.ui.app import run_gui

        return run_gui(paths)
    if command == "smoke":
        from desktop.smoke import run

        return run(paths)
    if command == "diagnose":
        from desktop.services.diagnose import make_bundle

        target = make_bundle(paths, Path(args.output) if args.output else None)
        print(f"Đã ghi {target} — gửi tệp này cho bộ phận hỗ trợ.")
        return EXIT_OK

    from desktop.logs import setup_logging
    from desktop.services.validation import PermissionDenied, ValidationError
    from desktop.store.errors import StoreError

    setup_logging(paths.logs if paths.root.exists() else None)
    handlers = {
        "report": cmd_report, "indicators": cmd_indicators,
        "init": cmd_init, "demo": cmd_demo, "check": cmd_check,
        "backup": cmd_backup, "restore": cmd_restore, "find": cmd_find, "sync": cmd_sync,
        "export": cmd_export, "import": cmd_import,
    }
    try:
        return handlers[command](paths, args)
    except ValidationError as exc:
        for field, message in exc.errors.items():
            _print_err(f"Lỗi ({field}): {message}")
        return EXIT_FAILED
    except (StoreError, PermissionDenied) as exc:
        _print_err(f"Lỗi: {exc.message_vi}")
        return EXIT_FAILED


def _locked_store(paths: DataPaths):
    from desktop.store.database import open_store
    from desktop.store.lock import InstanceLock

    lock = InstanceLock(paths).acquire() if paths.root.exists() else None
    try:
        return lock, open_store(paths)
    except BaseException:
        if lock:
            lock.release()
        raise


def cmd_init(paths: DataPaths, args: argparse.Namespace) -> int:
    from desktop import config
    from desktop.services.actor import Actor
    from desktop.services.office import AdminForm, OfficeForm, initialise_office

    try:
        deployment = config.load()
    except config.ConfigError as exc:
        _print_err(f"Lỗi: {exc.message_vi}")
        return EXIT_FAILED
    args.office_name = args.office_name or deployment.office_name
    args.agency_code = args.agency_code or deployment.agency_code
    args.desk = args.desk or (str(deployment.desk) if deployment.desk else None)
    args.place = deployment.place_name if args.place is None else args.place
    args.parent = deployment.parent_name if args.parent is None else args.parent
    missing = [flag for flag, value in (("--office-name", args.office_name),
                                        ("--agency-code", args.agency_code),
                                        ("--desk", args.desk)) if not value]
    if missing:
        _print_err(f"Lỗi: thiếu {', '.join(missing)} (ghi trên dòng lệnh hoặc trong motcua.toml).")
        return EXIT_USAGE

    password = os.environ.get(args.admin_password_env)
    if not password:
        if not sys.stdin.isatty():
            _print_err(f"Lỗi: chưa có mật khẩu quản trị. Đặt biến môi trường {args.admin_password_env}.")
            return EXIT_USAGE
        password = getpass.getpass("Mật khẩu quản trị: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            _print_err("Lỗi: mật khẩu nhập lại không khớp.")
            return EXIT_FAILED
    paths.root.mkdir(parents=True, exist_ok=True)
    lock, store = _locked_store(paths)
    try:
        officer = initialise_office(
            store,
            OfficeForm(name=args.office_name, agency_code=args.agency_code, desk_number=args.desk,
                       address=args.address, place_name=args.place, parent_name=args.parent),
            AdminForm(username=args.admin_user, full_name=args.admin_name, password=password),
            actor=Actor.system("init"),
        )
        with store.transaction() as session:
            written = config.apply_to_settings(session, Actor.system("init"), deployment)
    finally:
        store.close()
        lock.release()
    print(f"Đã thiết lập văn phòng \"{args.office_name}\" tại {paths.root}.")
    print(f"Quản trị viên: {officer.username}")
    if written:
        print(f"Theo {deployment.source}: {', '.join(written)}")
    return EXIT_OK


def cmd_demo(paths: DataPaths, args: argparse.Namespace) -> int:
    from desktop.services import demo

    if args.dossiers < 0:
        _print_err("Lỗi: số hồ sơ phải không âm.")
        return EXIT_USAGE
    paths.root.mkdir(parents=True, exist_ok=True)
    from desktop.store.lock import InstanceLock

    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 2 or done == total:
            last[0] = now
            print(f"  {done:>9,}/{total:,} hồ sơ", file=sys.stderr, flush=True)

    with InstanceLock(paths):
        summary = demo.create_demo(paths, dossiers=args.dossiers, seed=args.seed, progress=progress)
    print(f"Đã tạo văn phòng mẫu tại {paths.root}: {summary.dossiers:,} hồ sơ, "
          f"{summary.progress_rows:,} bước xử lý, {summary.seconds:.1f} giây, "
          f"{summary.database_bytes / 1e6:.0f} MB.")
    print("Đăng nhập: " + demo.LOGIN_HINT)
    return EXIT_OK


def cmd_check(paths: DataPaths, args: argparse.Namespace) -> int:
    from desktop.services.maintenance import run_check
    from desktop.store.database import open_store

    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    store = open_store(paths)
    try:
        report = run_check(store, full=not args.quick)
    finally:
        store.close()
    for note in report.notes:
        print(f"✓ {note}")
    for problem in report.problems:
        print(f"✗ {problem}")
    print("Kết quả: không có lỗi." if report.ok else f"Kết quả: {len(report.problems)} lỗi.")
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_backup(paths: DataPaths, args: argparse.Namespace) -> int:
    from desktop.services.actor import Actor
    from desktop.services.maintenance import make_backup
    from desktop.store.backup import inspect_backup, list_backups
    from desktop.store.database import open_store
    from desktop.store.errors import InvalidBackup

    if args.list:
        backups = list_backups(paths.backups)
        if not backups:
            print("Chưa có bản sao lưu nào.")
        for path in backups:
            try:
                info = inspect_backup(path)
                print(f"{path.name}\t{info.made_at:%d/%m/%Y %H:%M}\t{info.dossier_count:,} hồ sơ"
                      f"\t{info.size_bytes / 1e6:.1f} MB")
            except InvalidBackup as exc:
                print(f"{path.name}\tHỎNG: {exc.message_vi}")
        return EXIT_OK
    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    # No instance lock: the online backup API copies a consistent snapshot while the app runs.
    store = open_store(paths, migrate_now=False)
    try:
        path = make_backup(store, Actor.system("backup"))
    finally:
        store.close()
    print(f"Đã sao lưu: {path}")
    return EXIT_OK


def cmd_find(paths: DataPaths, args: argparse.Namespace) -> int:
    """Matching dossiers, newest first, one per line (tab-separated) on stdout only:
    citizens' data never goes to the log."""
    from datetime import datetime

    from desktop.domain.status import Status
    from desktop.services import dossier_query as dq
    from desktop.services.search import match_expression
    from desktop.store.database import open_store

    if args.limit < 1:
        _print_err("Lỗi: --limit phải từ 1 trở lên.")
        return EXIT_USAGE
    if match_expression(args.text) is None:
        _print_err("Lỗi: hãy nhập mã hồ sơ, họ tên, số định danh hoặc số điện thoại.")
        return EXIT_USAGE
    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    store = open_store(paths)
    try:
        with store.reading() as session:
            rows = dq.page(session, dq.DossierFilter(text=args.text),
                           dq.SortKey("received_at", descending=True), datetime.now(),
                           limit=args.limit)
    finally:
        store.close()
    if not rows:
        _print_err("Không tìm thấy hồ sơ nào.")
        return EXIT_FAILED
    for r in rows:
        received = r.received_at.strftime("%d/%m/%Y %H:%M") if r.received_at else ""
        fields = (r.code or "", Status(r.status).label, received, r.applicant_name,
                  r.procedure_name)
        print("\t".join(" ".join(f.split()) for f in fields))
    return EXIT_OK


EXIT_CONFLICTS = 3
SYNC_PASSWORD_ENV = "MOTCUA_SYNC_PASSWORD"


def cmd_sync(paths: DataPaths, args: argparse.Namespace) -> int:
    """One sync round with the province (sync/engine.py); a Vietnamese summary on stdout.

    Exit codes: 0 everything of the officer(s) sent, pulled and checked; 3 the round
    ran but conflicts wait for an officer (Đồng bộ › Xung đột); 1 offline, refused
    or unfinished."""
    import httpx
    from sqlalchemy import select

    from desktop.services import settings
    from desktop.services.actor import Actor
    from desktop.services.office import get_office
    from desktop.store.models import Officer
    from sync import queue
    from sync.client import AuthRequired, SyncClient, SyncError
    from sync.engine import make_engine

    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    if args.timeout <= 0:
        _print_err("Lỗi: --timeout phải lớn hơn 0.")
        return EXIT_USAGE
    lock, store = _locked_store(paths)
    clients: dict[int, SyncClient] = {}
    try:
        with store.transaction() as session:
            office = get_office(session)
            if office is None:
                _print_err("Lỗi: văn phòng chưa được thiết lập (motcua init).")
                return EXIT_FAILED
            if args.server is not None or args.ca_bundle is not None:
                queue.set_server(
                    session, Actor.system("sync"),
                    url=settings.get(session, "sync.server_url") if args.server is None
                    else args.server,
                    ca_bundle=settings.get(session, "sync.ca_bundle") if args.ca_bundle is None
                    else args.ca_bundle)
            url = settings.get(session, "sync.server_url")
            ca_bundle = settings.get(session, "sync.ca_bundle") or None
            portal = settings.get(session, "sync.connector") == "dvcqg"
            agency = office.agency_code
            q = select(Officer).where(Officer.active.is_(True)).order_by(Officer.id)
            if args.username:
                q = select(Officer).where(Officer.username == args.username.strip().lower())
            officers = [(o.id, o.username, Actor.of(o)) for o in session.execute(q).scalars()]
        if not url:
            _print_err("Lỗi: chưa có địa chỉ máy chủ của tỉnh. Dùng --server URL.")
            return EXIT_USAGE
        if args.username and not officers:
            _print_err(f"Lỗi: không có cán bộ \"{args.username}\" trên máy này.")
            return EXIT_FAILED

        def make(username: str) -> SyncClient:
            if portal:  # the national portal's services (sync/connectors/dvcqg.py)
                from sync.connectors.dvcqg import PortalClient

                return PortalClient(url, agency, username, ca_bundle=ca_bundle,  # type: ignore[return-value]
                                    timeout=httpx.Timeout(args.timeout,
                                                          connect=min(args.timeout, 5.0)))
            return SyncClient(url, agency, username, ca_bundle=ca_bundle,
                              timeout=httpx.Timeout(args.timeout, connect=min(args.timeout, 5.0)))

        for officer_id, username, _actor in officers:
            client = make(username)
            if client.has_credentials():
                clients[officer_id] = client
                continue
            if not args.username:
                client.close()
                continue
            password = os.environ.get(SYNC_PASSWORD_ENV)
            if not password and sys.stdin.isatty():
                password = getpass.getpass(f"Mật khẩu tài khoản của tỉnh ({agency}/{username}): ")
            if not password:
                client.close()
                _print_err("Lỗi: chưa có tài khoản đồng bộ đã lưu cho cán bộ này. Đặt biến môi "
                           f"trường {SYNC_PASSWORD_ENV} hoặc chạy lệnh trong cửa sổ dòng lệnh.")
                return EXIT_FAILED
            try:
                client.login(password)
            except SyncError as exc:
                client.close()
                _print_err(f"Lỗi: {exc.message_vi}")
                return EXIT_FAILED
            clients[officer_id] = client
        if not clients:
            _print_err("Lỗi: chưa cán bộ nào lưu tài khoản đồng bộ trên máy này. Dùng "
                       "--username TÊN (lần đầu cần mật khẩu tài khoản của tỉnh).")
            return EXIT_FAILED
        first_id = next(iter(clients))
        actor = next(a for i, _u, a in officers if i == first_id)
        with store.transaction() as session:
            queue.retry_failed_now(session)  # asked for now: no waiting for the back-off
        engine = make_engine(store, clients[first_id], actor,
                            other_clients={i: c for i, c in clients.items() if i != first_id})
        report = engine.run_round()
        print(report.summary_vi())
        if report.state == "needs_login":
            _print_err(f"Hãy đăng nhập lại: motcua sync --username … (mật khẩu qua "
                       f"{SYNC_PASSWORD_ENV}).")
        if report.ok:
            return EXIT_CONFLICTS if report.open_conflicts else EXIT_OK
        return EXIT_FAILED
    except (AuthRequired, SyncError) as exc:
        _print_err(f"Lỗi: {exc.message_vi}")
        return EXIT_FAILED
    finally:
        for client in clients.values():
            client.close()
        store.close()
        if lock:
            lock.release()


def _period_from(args: argparse.Namespace):  # noqa: ANN202 - a desktop.domain.periods.Period
    """The period of --period, or of --from/--to; None (after a message) when unusable."""
    from datetime import date

    from desktop.domain.periods import PeriodError, parse_period

    try:
        if args.period and (args.start or args.end):
            raise PeriodError("Chọn --period hoặc --from/--to, không dùng cả hai.")
        if args.period:
            return parse_period(args.period)
        if not (args.start and args.end):
            raise PeriodError("Thiếu kỳ báo cáo: dùng --period (ví dụ 2026-Q3) hoặc --from và "
                              "--to.")
        try:
            start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
        except ValueError:
            raise PeriodError("Ngày viết theo dạng YYYY-MM-DD, ví dụ 2026-07-01.") from None
        return parse_period("", start=start, end=end)
    except PeriodError as exc:
        _print_err(f"Lỗi: {exc.message_vi}")
        return None


def _write_text(content: str, output: str | None) -> None:
    if output:
        Path(output).write_text(content + "\n", encoding="utf-8")
        return
    try:
        print(content, flush=True)
    except BrokenPipeError:  # `motcua report … | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def cmd_report(paths: DataPaths, args: argparse.Namespace) -> int:
    """A periodic report of the period, as JSON (every cell, headings, period, checks),
    XLSX or PDF; --save keeps a frozen snapshot queued for the province. Exit 1 when a
    balance check fails (the file is still written). Citizens' data (the tracking book)
    go to the output only, never to the log."""
    import json
    from datetime import datetime

    from desktop.services import tracking_book
    from desktop.services.actor import Actor
    from desktop.services.reports import definitions, engine, snapshots
    from desktop.store.database import open_store

    period = _period_from(args)
    if period is None:
        return EXIT_USAGE
    try:
        definition = definitions.get(args.report)
    except definitions.UnknownReport as exc:
        _print_err(f"Lỗi: {exc.message_vi}")
        return EXIT_USAGE
    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    limit = (tracking_book.PDF_ROW_LIMIT if args.format == "pdf"
             else tracking_book.XLSX_ROW_LIMIT)
    now = datetime.now().replace(microsecond=0)
    store = open_store(paths)
    try:
        if args.save:
            info, result = snapshots.save(store, Actor.system("report"), definition, period,
                                          now=now, limit=limit,
                                          receiving_unit=args.receiving_unit)
        else:
            with store.reading() as session:
                result = engine.run(session, definition, period, now=now, limit=limit,
                                    receiving_unit=args.receiving_unit)
    finally:
        store.close()
    if args.format == "json":
        _write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=2), args.output)
    else:
        output = Path(args.output or f"{definition.key}-{period.key}.{args.format}")
        if args.format == "xlsx":
            engine.write_xlsx(result, output)
        else:
            from forms.render import ensure_gui_app, write_pdf

            ensure_gui_app()  # offscreen when there is no display
            write_pdf(engine.to_form(result), output,
                      title=f"{definition.form_label} – {period.name_vi}")
        print(f"Đã ghi {output}", file=sys.stderr)
    if args.save:
        print(f"Đã lưu bản chốt số {info.id} ({info.title_vi}), sẽ gửi lên tỉnh khi đồng bộ.",
              file=sys.stderr)
    if not result.ok:
        for check in result.checks:
            if not check.ok:
                _print_err(f"Cảnh báo: số liệu không cân đối — {check.message_vi}")
        return EXIT_FAILED
    return EXIT_OK


def cmd_indicators(paths: DataPaths, args: argparse.Namespace) -> int:
    """The Quyết định 766 indicators of the period (numerators, denominators, rates), their
    monthly trend and the lists overdue / due soon / waiting for a supplement, as JSON."""
    import json
    from datetime import datetime

    from desktop.services.reports import indicators
    from desktop.store.database import open_store

    period = _period_from(args)
    if period is None:
        return EXIT_USAGE
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now()
    except ValueError:
        _print_err("Lỗi: --now viết theo dạng ISO, ví dụ 2026-09-30T17:00.")
        return EXIT_USAGE
    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    store = open_store(paths)
    try:
        with store.reading() as session:
            board = indicators.dashboard(session, period, now.replace(microsecond=0))
    finally:
        store.close()
    _write_text(json.dumps(board.as_json(), ensure_ascii=False, indent=2), args.output)
    return EXIT_OK


def cmd_restore(paths: DataPaths, args: argparse.Namespace) -> int:
    from desktop.services.actor import Actor
    from desktop.services.maintenance import restore
    from desktop.store.backup import latest_backup
    from desktop.store.lock import InstanceLock

    if args.file:
        backup = Path(args.file).expanduser().resolve()
    elif args.latest:
        backup = latest_backup(paths.backups)
        if backup is None:
            _print_err("Lỗi: chưa có bản sao lưu nào.")
            return EXIT_FAILED
    else:
        _print_err("Lỗi: chọn một tệp sao lưu hoặc dùng --latest.")
        return EXIT_USAGE
    paths.root.mkdir(parents=True, exist_ok=True)
    with InstanceLock(paths):
        kept = restore(paths, backup, Actor.system("restore"))
    print(f"Đã khôi phục từ {backup.name}.")
    if kept is not None:
        print(f"Dữ liệu trước khi khôi phục được giữ tại: {kept}")
    return EXIT_OK




def _usage(message: str) -> int:
    _print_err(message)
    return EXIT_USAGE


def cmd_export(paths: DataPaths, args: argparse.Namespace) -> int:
    """The office's dossiers in the national-portal format (desktop/services/exchange.py)."""
    from desktop.services.exchange import export_dvcqg

    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    from datetime import date

    try:
        start = date.fromisoformat(args.start) if args.start else None
        end = date.fromisoformat(args.end) if args.end else None
    except ValueError:
        return _usage("Lỗi: --from và --to phải là ngày dạng YYYY-MM-DD.")
    if start and end and start > end:
        return _usage("Lỗi: --from phải trước hoặc bằng --to.")
    lock, store = _locked_store(paths)
    try:
        if args.output:
            target = Path(args.output)
            partial = target.with_name(target.name + ".part")
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                summary = export_dvcqg(store, out, start=start, end=end)
            partial.replace(target)
            print(f"Đã xuất {summary.dossiers} hồ sơ ({summary.progress_rows} bước xử lý) "
                  f"ra {target}.")
        else:
            summary = export_dvcqg(store, sys.stdout, start=start, end=end)
            _print_err(f"Đã xuất {summary.dossiers} hồ sơ ({summary.progress_rows} bước xử lý).")
        return EXIT_OK
    finally:
        store.close()
        if lock:
            lock.release()


def cmd_import(paths: DataPaths, args: argparse.Namespace) -> int:
    """Dossiers from a national-portal format file; exit 1 when any row was refused."""
    from desktop.services.exchange import ExchangeFileError, import_dvcqg, refusal_line
    from desktop.services.office import get_office

    if not paths.database.exists():
        _print_err(f"Lỗi: không có cơ sở dữ liệu tại {paths.database}.")
        return EXIT_FAILED
    lock, store = _locked_store(paths)
    try:
        with store.reading() as session:
            if get_office(session) is None:
                _print_err("Lỗi: văn phòng chưa được thiết lập (motcua init).")
                return EXIT_FAILED
        try:
            summary = import_dvcqg(store, Path(args.file))
        except ExchangeFileError as exc:
            _print_err(f"Lỗi: {exc.message_vi}")
            return EXIT_FAILED
        for pos, code, reason in summary.refused:
            _print_err(refusal_line(pos, code, reason))
        print(summary.summary_vi())
        return EXIT_FAILED if summary.refused else EXIT_OK
    finally:
        store.close()
        if lock:
            lock.release()


if __name__ == "__main__":
    sys.exit(main())
