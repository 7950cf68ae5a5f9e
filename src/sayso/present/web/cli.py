"""``sayso serve``: the workbench on 127.0.0.1 (elsewhere only with an access token)."""
from __future__ import annotations

import errno
import socket
from typing import List, Optional

import typer

from sayso.present.ledger_cli import DbOption, _fail, _open
from sayso.present.web.security import allowed_hosts, is_loopback, token_weakness


def port_problem(host: str, port: int) -> str | None:
    """Why the workbench cannot listen on ``host``:``port`` (a port out of range, one in use, an
    address not of this machine), in one line; None when it can."""
    if not 1 <= port <= 65535:
        return f"--port {port} is not a port: 1 to 65535"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)    # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            hint = " (another program uses it: try another --port)" if exc.errno == errno.EADDRINUSE else ""
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}"
    return None


def serve_command(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", help="the address to bind; anything but loopback needs --token"),
    port: int = typer.Option(8000, help="the port to listen on"),
    token: Optional[str] = typer.Option(None, "--token", envvar="SAYSO_TOKEN",
                                        help="access token every request must carry (required off loopback)"),
    reviewer: Optional[str] = typer.Option(None, envvar="SAYSO_REVIEWER",
                                           help="the name reviews are recorded under by default (else each "
                                                "reviewer types theirs once; the browser remembers it)"),
    allowed_host: List[str] = typer.Option([], "--allowed-host",
                                           help="a host name the browser may use besides loopback ones "
                                                "(the bound address is allowed already); repeat for more"),
) -> None:
    """Serve the workbench: browse, search and review the ledger in a browser."""
    if not is_loopback(host) and not token:
        _fail(f"binding to {host} (not loopback) needs an access token: --token or $SAYSO_TOKEN")
    weak = token_weakness(token) if token is not None else None
    if weak:
        _fail(weak)
    try:
        hosts = allowed_hosts([*allowed_host, *([host] if host not in ("0.0.0.0", "::") else [])])
    except ValueError as exc:
        _fail(f"--allowed-host: {exc}")
    problem = port_problem(host, port)
    if problem:
        _fail(problem)
    import uvicorn

    from sayso.present.web.app import create_app
    _open(db).close()   # a missing or unreadable ledger fails here, in one line
    url = f"http://{host}:{port}/"
    typer.echo(f"sayso workbench on {url}" + (" (send the token: ?token=... once, or Authorization: Bearer)"
                                               if token else ""), err=True)
    uvicorn.run(create_app(db, token=token, reviewer=reviewer, allowed_hosts=hosts), host=host, port=port, log_level="warning")
