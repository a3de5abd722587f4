"""`python -m assurance serve --processes N`: N Streamlit server processes behind nginx, sharing one database.

One Streamlit process runs every session's script in one Python interpreter, so it uses one CPU however many
people are looking. This command runs N of them (ports ``--port + 1`` ... ``--port + N``, on 127.0.0.1 only) and
one nginx (Debian's package: ``apt-get install nginx``) in front of them on ``--port``:

* **Sticky sessions.** A Streamlit session lives on one websocket, and the files it serves (downloads, uploads,
  images) live in the process that made them. nginx gives each browser a cookie naming its route and hashes it
  (``hash $route consistent``) to pick the process, so a browser keeps going to the same one.
* **A process that dies** (``kill -9``): nginx sends the next request to another process (``proxy_next_upstream``)
  and marks the dead one down for a few seconds; the browser's Streamlit reconnects by itself and draws the page
  its address names. This command starts a new process in its place.
* **The database**: no process holds the DuckDB file; each reads the copy the last write published and a write
  takes DuckDB's lock for its own length (``assurance.store.published``, ``ui/session.py``: ``ASSURANCE_SHARED=1``).
  This command creates the database (with demo data on first start), migrates it, and publishes the first copy
  before any server starts.
* **One cookie secret** for all processes (Streamlit signs its XSRF and sign-in cookies with it), made afresh for
  each run and passed in the environment, never written to the repository.

Stop it with Ctrl-C or SIGTERM: it stops nginx and the servers. docs/SCALING.md explains the design and its limits.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess  # nosec B404 # starts our own Streamlit servers and Debian's nginx, never a shell
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from assurance.core.errors import AssuranceError, InvalidInput
from assurance.core.paths import ROOT

NGINX = "/usr/sbin/nginx"
HEALTH = "/_stcore/health"
ROUTE_COOKIE = "assurance_route"

NGINX_CONF = """\
# Written by `python -m assurance serve` (assurance/commands/serve.py); rewritten on every start.
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 600m;  # the Data page takes national archives (Streamlit's own limit is in its config)

    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # The route: the browser's cookie, or a new random one on its first request (then set as the cookie).
    map $cookie_{cookie} $route {{ default $cookie_{cookie}; "" $request_id; }}

    upstream streamlit {{
        hash $route consistent;
{servers}
    }}

    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://streamlit;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1d;  # a meeting display keeps its websocket open all day
            proxy_send_timeout 1d;
            proxy_buffering off;
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie "{cookie}=$route; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def nginx_config(run: Path, host: str, port: int, backends: list[int]) -> str:
    """nginx's configuration for the backends (one line per server process)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in backends)
    return NGINX_CONF.format(run=run, host=host, port=port, servers=servers, cookie=ROUTE_COOKIE)


@dataclass
class Cluster:
    """The running processes of one `serve`: what a test or a benchmark needs to drive and stop them."""

    db: Path
    port: int
    backends: list[int]
    run: Path
    env: dict[str, str]
    servers: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None
    logs: list[Path] = field(default_factory=list)

    def start_server(self, port: int) -> subprocess.Popen:
        log = self.run / f"streamlit-{port}.log"
        self.logs.append(log)
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
        command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        with open(log, "ab") as out:
            # nosec B603 below: a fixed argument list (this Python, our app.py, ports we chose), no shell
            proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)  # nosec B603
        self.servers[port] = proc
        return proc

    def start_nginx(self) -> subprocess.Popen:
        conf = self.run / "nginx.conf"
        conf.write_text(nginx_config(self.run, "127.0.0.1", self.port, self.backends), encoding="utf-8")
        with open(self.run / "nginx.log", "ab") as out:
            nginx = [NGINX, "-p", str(self.run), "-c", str(conf)]  # the system nginx and the file we just wrote
            self.nginx = subprocess.Popen(nginx, stdout=out, stderr=out)  # nosec B603 # fixed arguments, no shell
        return self.nginx

    def stop_nginx(self) -> None:
        _stop(self.nginx)
        self.nginx = None

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Until every server and nginx answer Streamlit's health check."""
        deadline = time.monotonic() + timeout
        for port in [*self.backends, self.port]:
            while not _healthy(port):
                if time.monotonic() > deadline:
                    raise AssuranceError(
                        f"the server on port {port} did not start within {timeout:.0f} s (see {self.run})"
                    )
                proc = self.servers.get(port)  # nginx's port has none
                if proc is not None and proc.poll() is not None:
                    raise AssuranceError(
                        f"the server on port {port} stopped at start (see {self.run}/streamlit-{port}.log)"
                    )
                time.sleep(0.1)

    def restart_dead(self) -> list[int]:
        """Start a new process in place of each one that has stopped; the ports restarted."""
        dead = [port for port, proc in self.servers.items() if proc.poll() is not None]
        for port in dead:
            self.start_server(port)
        return dead

    def stop(self) -> None:
        self.stop_nginx()
        for proc in self.servers.values():
            _stop(proc)


def _healthy(port: int) -> bool:
    try:
        # nosec B310 below: always http://127.0.0.1 with a port number, never a scheme or host from input
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH}", timeout=1) as answer:  # nosec B310
            return answer.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def prepare(db: Path) -> int:
    """Create (demo data on first start), migrate and publish the database before any server starts; the version."""
    from assurance.domain.setup import ensure_database, upgrade
    from assurance.store import published

    ensure_database(db)
    with published.writing(db) as con:
        upgrade(con)
    return published.current(db).version


def start(db: Path, processes: int, port: int, run: Path | None = None) -> Cluster:
    """Prepare the database, start the servers and nginx, and wait until they answer."""
    if not Path(NGINX).exists():
        raise AssuranceError(f"nginx is not installed ({NGINX}): apt-get install nginx")
    if processes < 1:
        raise InvalidInput("--processes must be at least 1")
    prepare(db)
    run = Path(run or tempfile.mkdtemp(prefix="assurance-serve-"))
    run.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        ASSURANCE_DB=str(db.resolve()),
        ASSURANCE_SHARED="1",
        STREAMLIT_SERVER_COOKIE_SECRET=env.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32),
    )
    cluster = Cluster(db, port, [port + 1 + i for i in range(processes)], run, env)
    try:
        for backend in cluster.backends:
            cluster.start_server(backend)
        cluster.start_nginx()
        cluster.wait_ready()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def run_serve(db: Path, args: argparse.Namespace) -> int:
    cluster = start(db, args.processes, args.port, Path(args.run_dir) if args.run_dir else None)
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"Serving {db} at http://127.0.0.1:{args.port}/ through nginx, {args.processes} Streamlit processes "
        f"(ports {cluster.backends[0]}-{cluster.backends[-1]}); logs in {cluster.run}. Ctrl-C stops.",
        flush=True,
    )
    try:
        while not stopping:
            for port in cluster.restart_dead():
                print(f"The server on port {port} stopped; started a new one.", flush=True)
            if cluster.nginx is not None and cluster.nginx.poll() is not None:
                print("nginx stopped; starting it again.", flush=True)
                cluster.start_nginx()
            time.sleep(0.5)
    finally:
        cluster.stop()
        if not args.run_dir:
            shutil.rmtree(cluster.run, ignore_errors=True)
    return 0
