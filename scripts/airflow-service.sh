#!/usr/bin/env bash
# Installs and runs a real Apache Airflow 2.x for the extended tests: the PyPI MCP server
# mcp-server-apache-airflow (REST API v1, basic auth) talks to it. Everything comes from PyPI, into
#   ${SLUICE_MCP_HOME:-<repo root>/.mcp-servers}
#     venvs/airflow-service/     apache-airflow (pinned, see PINS) in its own virtual environment
#     markers/airflow-service    the spec it was installed with (matching marker + airflow binary = skip)
#     markers/airflow-service.freeze  the resolved dependency versions
#     logs/airflow-service.log   installer output of the last install
#     airflow-home/              the default AIRFLOW_HOME (see start)
#
# Usage: scripts/airflow-service.sh install
#        scripts/airflow-service.sh start [--port N] [--home DIR] [--fresh] [--with-scheduler]
#        scripts/airflow-service.sh stop [--home DIR]
#        scripts/airflow-service.sh status [--home DIR]
#   install   install apache-airflow into venvs/airflow-service (idempotent); uses the uv of
#             install-mcp-servers.sh (tools/bin/uv) when it is there, else venv + pip
#   start     (installs first when needed) SQLite metadata DB, SequentialExecutor, no example DAGs,
#             basic auth on the REST API, user admin / password admin (Admin role), the DAGs of
#             deploy/sample-data/airflow-dags (DAG sluice_sample_pipeline, paused) copied to <home>/dags;
#             runs `airflow db migrate`, creates the user when missing, `airflow dags reserialize` (so the
#             DAGs are in the REST API without a scheduler), then starts ONLY the webserver in the
#             background and waits (up to SLUICE_AIRFLOW_START_TIMEOUT, default 120 s) for
#             GET /api/v1/health. Prints the base URL, http://localhost:PORT: the AIRFLOW_HOST of
#             mcp-server-apache-airflow (which drops any path, so .../api/v1 works too, and appends /api/v1).
#             Already running: prints the URL and does nothing. Default port 8793, default home
#             $SLUICE_MCP_HOME/airflow-home. --fresh first deletes the metadata DB (DAG runs, users,
#             variables, connections...) and the task logs of a home that is not running.
#             --with-scheduler also runs `airflow scheduler` (it runs the tasks of unpaused DAGs and makes
#             /health report the scheduler healthy; without it triggered runs stay queued).
#   stop      stops the webserver (and its gunicorn processes) and a scheduler by their pid files; idempotent
#   status    prints whether it runs (and its health); exit 0 = running and healthy, 3 = not running, 1 = unhealthy
# Files under <home>: airflow.db, dags/, airflow-env.sh (source it to use the `airflow` CLI on this home),
# sluice-webserver.pid|.port|.log, sluice-scheduler.pid|.log, sluice-setup.log (db migrate, users, reserialize).
# Environment: SLUICE_MCP_HOME; SLUICE_AIRFLOW_PYTHON (the interpreter to install with, Python 3.10-3.12;
# default: the first of python3, python3.12, 3.11, 3.10 (pyenv's too) that runs and fits; to switch, delete
# markers/airflow-service); SLUICE_AIRFLOW_WORKERS (gunicorn workers, default 2); SLUICE_AIRFLOW_BIND (the
# listen address, default 127.0.0.1); SLUICE_AIRFLOW_START_TIMEOUT (seconds, default 120).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${SLUICE_MCP_HOME:-$repo_root/.mcp-servers}
VENV=$HOME_DIR/venvs/airflow-service
MARKER=$HOME_DIR/markers/airflow-service
INSTALL_LOG=$HOME_DIR/logs/airflow-service.log
DAGS_SRC=$repo_root/deploy/sample-data/airflow-dags
DEFAULT_PORT=8793
SCHEME=1   # bump to force a reinstall after changing how Airflow is installed

# The newest Airflow 2.x on PyPI (2.11.2 needs Python >= 3.10 and != 3.13). Airflow 3 has no REST API v1,
# which mcp-server-apache-airflow 0.2.10 speaks.
AIRFLOW_VERSION=2.11.2
# Pins (a constraints file for the install): Airflow 2 is only known to work with the library versions of its
# release's constraints (which live on GitHub, unreachable here), and its metadata leaves most of them open.
# These are the versions this script was verified with (resolved from apache-airflow==2.11.2 on Python 3.11,
# then the webserver, the REST API with basic auth and the MCP server's calls tested):
#  - the web stack (Flask 2.3 / Werkzeug 3.1 / connexion 2.x / Flask-AppBuilder 4.5 via the FAB provider,
#    Flask-Session, Flask-Login, Flask-Limiter, Flask-WTF/WTForms, Flask-SQLAlchemy 2.5, Flask-Babel 2),
#    where a newer release of any one breaks the webserver or the API's auth at start-up or per request;
#  - SQLAlchemy 1.4 + alembic + marshmallow 3 / marshmallow-sqlalchemy (Airflow 2 is not SQLAlchemy 2 or
#    marshmallow 4 ready; FAB's API schemas break with marshmallow 4);
#  - the providers that apache-airflow requires unpinned (a provider release may need a newer Airflow or
#    change the FAB auth manager), gunicorn, pendulum, jsonschema and universal-pathlib.
PINS=(
  "apache-airflow==$AIRFLOW_VERSION"
  apache-airflow-providers-common-compat==1.23.0
  apache-airflow-providers-common-io==1.11.0
  apache-airflow-providers-common-sql==2.4.0
  apache-airflow-providers-fab==1.5.4
  apache-airflow-providers-ftp==3.16.1
  apache-airflow-providers-http==6.3.0
  apache-airflow-providers-imap==3.13.1
  apache-airflow-providers-smtp==3.2.0
  apache-airflow-providers-sqlite==4.3.4
  flask==2.3.3
  werkzeug==3.1.9
  connexion==2.15.1
  flask-appbuilder==4.5.4
  flask-babel==2.0.0
  flask-caching==2.4.1
  flask-jwt-extended==4.7.4
  flask-limiter==3.12
  flask-login==0.6.3
  flask-session==0.8.0
  flask-sqlalchemy==2.5.1
  flask-wtf==1.3.0
  wtforms==3.3.2
  sqlalchemy==1.4.54
  sqlalchemy-jsonfield==1.0.3
  sqlalchemy-utils==0.42.1
  marshmallow==3.26.2
  marshmallow-oneofschema==3.2.0
  marshmallow-sqlalchemy==0.28.2
  gunicorn==27.0.1
  pendulum==3.3.0
  jsonschema==4.26.0
  universal-pathlib==0.2.6
)

die() { echo "airflow-service: $*" >&2; exit 2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------------------------------
# Python finder: FOUND_PY = a working interpreter with 3.10 <= version <= 3.12 (Airflow 2.11 runs on those).
PY_MIN=3.10 PY_MAX=3.12
source "$repo_root/scripts/lib/find-python.sh"

# ---------------------------------------------------------------------------------------------------------
install_spec() { echo "scheme=$SCHEME pins=${PINS[*]}"; }

is_installed() {
  [[ -f $MARKER && $(head -1 "$MARKER") == "$(install_spec)" && -x $VENV/bin/airflow ]]
}

cmd_install() {
  [[ $# -eq 0 ]] || die "install takes no arguments"
  local t0; t0=$(now)
  if is_installed; then
    echo "airflow-service: apache-airflow $AIRFLOW_VERSION up to date ($(sed -n 2p "$MARKER"), $VENV)"
    return 0
  fi
  mkdir -p "$HOME_DIR"/{venvs,markers,logs}
  # uv honours the same CA bundle as pip (TLS may be intercepted by a registry proxy); never download Pythons.
  if [[ -z ${SSL_CERT_FILE:-} && -n ${PIP_CERT:-} && -f ${PIP_CERT:-} ]]; then export SSL_CERT_FILE=$PIP_CERT; fi
  export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 UV_SYSTEM_CERTS=${UV_SYSTEM_CERTS:-1}
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  find_python "$PY_MIN" "$PY_MAX" "${SLUICE_AIRFLOW_PYTHON:-}" || die "no Python $PY_MIN-$PY_MAX found (tried:$FIND_TRIED); install one or set SLUICE_AIRFLOW_PYTHON"
  rm -f "$MARKER"; : >"$INSTALL_LOG"
  local py=$FOUND_PY pyv uv="" how cfile=$HOME_DIR/logs/airflow-service.constraints.txt
  pyv=py$(py_version_of "$py")
  printf '%s\n' "${PINS[@]}" >"$cfile"
  if [[ -x $HOME_DIR/tools/bin/uv ]] && "$HOME_DIR/tools/bin/uv" --version >/dev/null 2>&1; then uv=$HOME_DIR/tools/bin/uv; fi
  echo "== apache-airflow==$AIRFLOW_VERSION with $py ($pyv), constraints $cfile" >>"$INSTALL_LOG"
  rm -rf "$VENV"
  local ok=0
  if [[ -n $uv ]]; then
    how=uv
    if "$uv" venv --quiet --python "$py" "$VENV" >>"$INSTALL_LOG" 2>&1 \
        && "$uv" pip install --python "$VENV/bin/python" -c "$cfile" "apache-airflow==$AIRFLOW_VERSION" >>"$INSTALL_LOG" 2>&1; then
      ok=1
    else
      echo "== uv failed; falling back to venv + pip" >>"$INSTALL_LOG"; rm -rf "$VENV"
    fi
  fi
  if [[ $ok -eq 0 ]]; then
    how=pip
    if "$py" -m venv "$VENV" >>"$INSTALL_LOG" 2>&1 \
        && "$VENV/bin/python" -m pip install --quiet -c "$cfile" "apache-airflow==$AIRFLOW_VERSION" >>"$INSTALL_LOG" 2>&1; then
      ok=1
    fi
  fi
  if [[ $ok -eq 0 || ! -x $VENV/bin/airflow ]]; then
    echo "airflow-service: installing apache-airflow $AIRFLOW_VERSION FAILED: $(grep -E 'ERROR|error:' "$INSTALL_LOG" | tail -1 | cut -c1-200) (see $INSTALL_LOG)" >&2
    return 1
  fi
  # Import check: the CLI must at least load (no DB needed for `airflow version`).
  if ! AIRFLOW_HOME=$(mktemp -d) "$VENV/bin/airflow" version >>"$INSTALL_LOG" 2>&1; then
    echo "airflow-service: apache-airflow $AIRFLOW_VERSION installed but \`airflow version\` fails (see $INSTALL_LOG)" >&2
    return 1
  fi
  { [[ $how == uv ]] && "$uv" pip freeze --python "$VENV/bin/python"; } >"$MARKER.freeze" 2>/dev/null \
    || "$VENV/bin/python" -m pip freeze >"$MARKER.freeze" 2>/dev/null || true
  printf '%s\n%s\n' "$(install_spec)" "$pyv, $how" >"$MARKER"
  echo "airflow-service: apache-airflow $AIRFLOW_VERSION installed ($pyv, $how) in $(secs "$t0" "$(now)")s into $VENV"
}

# ---------------------------------------------------------------------------------------------------------
# Options of start / stop / status.
PORT="" AF_HOME="" WITH_SCHEDULER=0 FRESH=0
parse_opts() {  # allowed-options args...
  local allowed=$1; shift
  while [[ $# -gt 0 ]]; do
    case $1 in
      --port|--home) [[ $allowed == *"$1"* ]] || die "unknown option $1 (see --help)"
        [[ $# -ge 2 ]] || die "$1 needs a value"
        if [[ $1 == --port ]]; then PORT=$2; else AF_HOME=$2; fi; shift 2 ;;
      --port=*) [[ $allowed == *--port* ]] || die "unknown option --port"; PORT=${1#--port=}; shift ;;
      --home=*) AF_HOME=${1#--home=}; shift ;;
      --with-scheduler) [[ $allowed == *"$1"* ]] || die "unknown option $1 (see --help)"; WITH_SCHEDULER=1; shift ;;
      --fresh) [[ $allowed == *"$1"* ]] || die "unknown option $1 (see --help)"; FRESH=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown argument: $1 (see --help)" ;;
    esac
  done
  AF_HOME=${AF_HOME:-$HOME_DIR/airflow-home}
  mkdir -p "$AF_HOME"
  AF_HOME=$(cd "$AF_HOME" && pwd)
}

# A pid from one of our pid files that is alive and still an Airflow process (not a recycled pid).
live_pid() {  # pidfile
  local pid
  [[ -f $1 ]] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q airflow \
    && echo "$pid"
}

health() {  # url -> prints the health JSON; fails when it does not answer 200
  "$VENV/bin/python" - "$1/api/v1/health" <<'PY' 2>/dev/null
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    print(json.dumps(json.load(r), separators=(",", ":")))
PY
}

url_of() {  # home -> base URL of the webserver that runs (or ran) there
  echo "http://localhost:$(cat "$1/sluice-webserver.port" 2>/dev/null || echo "$DEFAULT_PORT")"
}

write_env() {  # home port -> <home>/airflow-env.sh, then sources it
  local home=$1 port=$2 keys=$1/.sluice-keys
  if [[ ! -s $keys ]]; then
    "$VENV/bin/python" - >"$keys" <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"SECRET_KEY={secrets.token_hex(16)}")
print(f"FERNET_KEY={Fernet.generate_key().decode()}")
PY
    chmod 600 "$keys"
  fi
  local secret fernet
  secret=$(sed -n 's/^SECRET_KEY=//p' "$keys"); fernet=$(sed -n 's/^FERNET_KEY=//p' "$keys")
  cat >"$home/airflow-env.sh" <<EOF
# Written by scripts/airflow-service.sh: the configuration of the Airflow in this home.
# Source it to use the CLI: . $home/airflow-env.sh && airflow dags list
export PATH="$VENV/bin:\$PATH"
export AIRFLOW_HOME="$home"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$home/airflow.db"
export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_FOLDER="$home/dags"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
export AIRFLOW__CORE__FERNET_KEY="$fernet"
export AIRFLOW__API__AUTH_BACKENDS=airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session
export AIRFLOW__WEBSERVER__WEB_SERVER_PORT=$port
export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=${SLUICE_AIRFLOW_BIND:-127.0.0.1}
export AIRFLOW__WEBSERVER__WORKERS=${SLUICE_AIRFLOW_WORKERS:-2}
export AIRFLOW__WEBSERVER__WORKER_REFRESH_BATCH_SIZE=0
export AIRFLOW__WEBSERVER__SECRET_KEY="$secret"
export AIRFLOW__WEBSERVER__EXPOSE_CONFIG=non-sensitive-only
export AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE=False
export AIRFLOW__DATABASE__LOAD_DEFAULT_CONNECTIONS=False
export AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY=True
# gunicorn 27 (pinned above) opens a control socket at ~/.gunicorn/gunicorn.ctl, shared by every gunicorn of the user
export GUNICORN_CMD_ARGS="--no-control-socket"
EOF
  # shellcheck disable=SC1091
  . "$home/airflow-env.sh"
}

port_busy() { "$VENV/bin/python" -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"; }

cmd_start() {
  parse_opts "--port --home --fresh --with-scheduler" "$@"
  local port=${PORT:-$DEFAULT_PORT} home=$AF_HOME t0 pid url
  [[ $port =~ ^[0-9]+$ ]] || die "--port needs a number"
  t0=$(now)
  is_installed || cmd_install >/dev/null || die "install failed (see $INSTALL_LOG)"
  if pid=$(live_pid "$home/sluice-webserver.pid"); then
    [[ $FRESH -eq 0 ]] || die "--fresh: Airflow runs in $home (pid $pid); stop it first"
    url=$(url_of "$home")
    if health "$url" >/dev/null; then
      echo "airflow-service: already running at $url (pid $pid, home $home; AIRFLOW_HOST=$url, user admin/admin)"
      return 0
    fi
    die "a webserver (pid $pid) runs in $home but $url/api/v1/health does not answer; run stop first"
  fi
  port_busy "$port" && die "port $port is in use by another process"
  rm -f "$home/sluice-webserver.pid"
  if [[ $FRESH -eq 1 ]]; then rm -rf "$home/airflow.db" "$home/logs" "$home/dags"; fi
  mkdir -p "$home/dags"
  cp "$DAGS_SRC"/*.py "$home/dags/"
  write_env "$home" "$port"
  local setup=$home/sluice-setup.log
  : >"$setup"
  run_setup() { echo "== airflow $*" >>"$setup"; airflow "$@" >>"$setup" 2>&1; }
  run_setup db migrate || die "airflow db migrate failed (see $setup)"
  if ! airflow users list -o plain 2>>"$setup" | awk '{print $2}' | grep -qx admin; then
    run_setup users create --username admin --password admin --role Admin \
      --firstname Sluice --lastname Admin --email admin@example.com || die "creating user admin failed (see $setup)"
  fi
  run_setup dags reserialize || die "airflow dags reserialize failed (see $setup)"
  echo "$port" >"$home/sluice-webserver.port"
  # setsid: the webserver (Airflow's gunicorn monitor), gunicorn and its workers form one process group
  # whose id is the pid in the pid file, so stop ends them all.
  setsid airflow webserver --port "$port" --workers "$AIRFLOW__WEBSERVER__WORKERS" \
    --pid "$home/sluice-gunicorn.pid" >"$home/sluice-webserver.log" 2>&1 </dev/null &
  echo $! >"$home/sluice-webserver.pid"
  if [[ $WITH_SCHEDULER -eq 1 ]] && ! live_pid "$home/sluice-scheduler.pid" >/dev/null; then
    # --skip-serve-logs: the task log server would listen on [logging] worker_log_server_port, 8793 by default
    # (this script's default port too); the webserver reads the task logs from the local files anyway.
    setsid airflow scheduler --skip-serve-logs >"$home/sluice-scheduler.log" 2>&1 </dev/null &
    echo $! >"$home/sluice-scheduler.pid"
  fi
  url=http://localhost:$port
  local deadline=$(( $(date +%s) + ${SLUICE_AIRFLOW_START_TIMEOUT:-120} ))
  until health "$url" >/dev/null; do
    if ! live_pid "$home/sluice-webserver.pid" >/dev/null; then
      tail -20 "$home/sluice-webserver.log" >&2
      stop_home "$home" >/dev/null
      die "the webserver exited during start-up (see $home/sluice-webserver.log)"
    fi
    if grep -q "Can't connect to" "$home/sluice-webserver.log"; then   # gunicorn could not bind; its monitor lingers
      tail -5 "$home/sluice-webserver.log" >&2
      stop_home "$home" >/dev/null
      die "the webserver could not listen on port $port (see $home/sluice-webserver.log)"
    fi
    if [[ $(date +%s) -ge $deadline ]]; then
      tail -20 "$home/sluice-webserver.log" >&2
      stop_home "$home" >/dev/null
      die "the webserver did not answer $url/api/v1/health within ${SLUICE_AIRFLOW_START_TIMEOUT:-120}s (see $home/sluice-webserver.log)"
    fi
    sleep 1
  done
  echo "airflow-service: Airflow $AIRFLOW_VERSION up at $url in $(secs "$t0" "$(now)")s (AIRFLOW_HOST=$url, user admin/admin, home $home$([[ $WITH_SCHEDULER -eq 1 ]] && echo ', with scheduler'))"
}

# 0 when a process of process group $1 still runs (and is Airflow's or gunicorn's: not a recycled id).
group_alive() { ps -eo pgid=,args= | awk -v g="$1" '$1 == g' | grep -q -E 'airflow|gunicorn'; }

stop_pidfile() {  # pidfile -> ends the process group (setsid) of the pid it names; 0 = something was stopped
  local f=$1 pid i
  [[ -f $f ]] || return 1
  pid=$(tr -dc '0-9' <"$f")
  if [[ -z $pid ]] || ! group_alive "$pid"; then rm -f "$f"; return 1; fi
  # the whole group: the leader may be gone while its gunicorn master or workers still run
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 60); do
    group_alive "$pid" || break
    sleep 0.5
  done
  if group_alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$f"
  return 0
}

stop_home() {  # home -> prints what it stopped
  local home=$1 what=() pid
  stop_pidfile "$home/sluice-scheduler.pid" && what+=(scheduler)
  stop_pidfile "$home/sluice-webserver.pid" && what+=(webserver)
  # A gunicorn master that outlived its monitor (e.g. the monitor was killed with -9 outside this script).
  if pid=$(live_pid "$home/sluice-gunicorn.pid"); then
    kill -TERM "$pid" 2>/dev/null || true; sleep 2; kill -KILL "$pid" 2>/dev/null || true
    what+=(gunicorn)
  fi
  rm -f "$home/sluice-gunicorn.pid"
  echo "${what[*]:-}"
}

cmd_stop() {
  parse_opts "--home" "$@"
  local stopped
  stopped=$(stop_home "$AF_HOME")
  if [[ -n $stopped ]]; then
    echo "airflow-service: stopped ($stopped; home $AF_HOME)"
  else
    echo "airflow-service: not running (home $AF_HOME)"
  fi
}

cmd_status() {
  parse_opts "--home" "$@"
  local pid url h sched=""
  if ! pid=$(live_pid "$AF_HOME/sluice-webserver.pid"); then
    echo "airflow-service: not running (home $AF_HOME; installed: $(is_installed && echo "apache-airflow $AIRFLOW_VERSION" || echo no))"
    return 3
  fi
  url=$(url_of "$AF_HOME")
  live_pid "$AF_HOME/sluice-scheduler.pid" >/dev/null && sched=", scheduler running"
  if h=$(health "$url"); then
    echo "airflow-service: running at $url (pid $pid$sched, home $AF_HOME): $h"
    return 0
  fi
  echo "airflow-service: pid $pid runs but $url/api/v1/health does not answer (home $AF_HOME)"
  return 1
}

[[ $# -ge 1 ]] || { usage >&2; exit 64; }
sub=$1; shift
case $sub in
  install) cmd_install "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  -h|--help|help) usage ;;
  *) die "unknown subcommand: $sub (see --help)" ;;
esac
