"""``motcua-province``: run the reference provincial server and prepare its data.

    motcua-province serve --db URL --host 127.0.0.1 --port 8765
    motcua-province create-office --agency-code 000.00.01.H56 --name "UBND xã Tân Phú"
    motcua-province create-officer --agency-code 000.00.01.H56 --username tiepnhan1 --password …
    motcua-province create-online-dossiers --agency-code 000.00.01.H56 --count 5
    motcua-province add-status-change --agency-code 000.00.01.H56 --dossier CODE_OR_UID --status 7

``--db`` takes an SQLAlchemy URL or a file path (SQLite); by default the
environment variable MOTCUA_PROVINCE_DB, else ``motcua-province.db`` in the
current folder. The password may come from MOTCUA_PROVINCE_PASSWORD instead of
the command line. Output is Vietnamese, for the operator; it never shows a
citizen's personal data.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sync.server.labels import STATUS_LABELS_VI
from sync.server.province import (
    ROLES,
    ProvinceError,
    add_status_change,
    create_office,
    create_officer,
    create_online_dossiers,
)
from sync.server.store import ServerStore, load_seed

DEFAULT_DB = "motcua-province.db"


def database_url(value: str | None) -> str:
    value = value or os.environ.get("MOTCUA_PROVINCE_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy URL hoặc đường dẫn tệp SQLite "
                                     f"(mặc định: $MOTCUA_PROVINCE_DB hoặc {DEFAULT_DB})")
    p = argparse.ArgumentParser(prog="motcua-province",
                                description="Máy chủ mẫu của hệ thống một cửa cấp tỉnh "
                                            "(kiểm thử, trình diễn, tập huấn).")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="chạy máy chủ")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--token-ttl", type=float, default=900,
                       help="thời hạn của phiên đăng nhập, giây (mặc định 900)")
    serve.add_argument("--log-level", default="info")

    office = sub.add_parser("create-office", parents=[common], help="tạo đơn vị (xã, phường)")
    office.add_argument("--agency-code", required=True)
    office.add_argument("--name", required=True)

    officer = sub.add_parser("create-officer", parents=[common], help="tạo tài khoản cán bộ")
    officer.add_argument("--agency-code", required=True)
    officer.add_argument("--username", required=True)
    officer.add_argument("--password", help="hoặc biến môi trường MOTCUA_PROVINCE_PASSWORD")
    officer.add_argument("--full-name", default="")
    officer.add_argument("--title", default="")
    officer.add_argument("--department", default="")
    officer.add_argument("--role", action="append", choices=ROLES,
                         help="vai trò (lặp lại để có nhiều vai trò; mặc định front_desk)")

    online = sub.add_parser("create-online-dossiers", parents=[common],
                            help="tạo hồ sơ nộp trực tuyến (trạng thái 1) để xã nhận về")
    online.add_argument("--agency-code", required=True)
    online.add_argument("--count", type=int, default=1)
    online.add_argument("--seed", type=int, help="hạt giống ngẫu nhiên (để lặp lại được)")

    change = sub.add_parser("add-status-change", parents=[common],
                            help="đổi trạng thái hồ sơ trên hệ thống của tỉnh")
    change.add_argument("--agency-code", required=True)
    change.add_argument("--dossier", required=True, help="mã hồ sơ hoặc uid")
    change.add_argument("--status", type=int, required=True, choices=range(1, 11),
                        metavar="1..10")
    change.add_argument("--content", default="", help="nội dung xử lý")
    change.add_argument("--reason", default="", help="lý do")
    change.add_argument("--officer-name", default="Cổng Dịch vụ công quốc gia")
    change.add_argument("--department", default="")
    return p


def _store(url: str) -> ServerStore:
    store = ServerStore(url)
    store.create_tables()
    store.seed(load_seed("procedures"), load_seed("holidays"))
    return store


def cmd_serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from sync.server.app import create_app

    app = create_app(url, token_ttl=args.token_ttl)
    print(f"Máy chủ tỉnh (mẫu) chạy tại http://{args.host}:{args.port} — "
          f"mô tả API: http://{args.host}:{args.port}/docs", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = database_url(args.db)
    try:
        if args.command == "serve":
            return cmd_serve(args, url)
        store = _store(url)
        try:
            if args.command == "create-office":
                create_office(store, args.agency_code, args.name)
                print(f"Đã tạo đơn vị {args.agency_code.strip().upper()}: {args.name.strip()}.")
            elif args.command == "create-officer":
                password = args.password or os.environ.get("MOTCUA_PROVINCE_PASSWORD", "")
                if not password:
                    raise ProvinceError("Hãy cho mật khẩu: --password hoặc biến môi trường "
                                        "MOTCUA_PROVINCE_PASSWORD.")
                create_officer(store, args.agency_code, args.username, password,
                               full_name=args.full_name, title=args.title,
                               department=args.department,
                               roles=tuple(args.role or ("front_desk",)))
                print(f'Đã tạo tài khoản "{args.username.strip().lower()}" cho đơn vị '
                      f"{args.agency_code.strip().upper()}.")
            elif args.command == "create-online-dossiers":
                uids = create_online_dossiers(store, args.agency_code, args.count,
                                              seed=args.seed)
                print(f"Đã tạo {len(uids)} hồ sơ trực tuyến (trạng thái 1) cho đơn vị "
                      f"{args.agency_code.strip().upper()}:")
                for uid in uids:
                    print(f"  {uid}")
            elif args.command == "add-status-change":
                change = add_status_change(store, args.agency_code, args.dossier, args.status,
                                           content=args.content, reason=args.reason,
                                           officer_name=args.officer_name,
                                           department=args.department)
                print(f"Hồ sơ {change.dossier_code or change.dossier_uid}: "
                      f'"{STATUS_LABELS_VI[change.from_status]}" → '
                      f'"{STATUS_LABELS_VI[change.to_status]}" (phiên bản {change.version}).')
        finally:
            store.close()
    except ProvinceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
