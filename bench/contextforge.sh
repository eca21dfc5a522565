# IBM's ContextForge MCP gateway (PyPI mcp-contextforge-gateway) as a peer of bench/mcp-wrk.sh: sourced
# after bench/lib.sh (uses $NODE, $everything_js, start_bg, stop_bg, wait_port, say, die, $tmp, measure).
# One process: `mcpgateway` is uvicorn (uvloop, httptools) without --workers; it forks 4 idle sandbox
# workers (jq filters, regex schema checks) that echo's calls never reach, so the gateway pid is the
# uvicorn process itself. SQLite in $tmp, its auth on (the load client sends a JWT minted with the
# gateway's own secret for the bootstrapped platform admin), stateful Streamable HTTP sessions with JSON
# answers, rate limits off (their default allows 100 MCP calls a minute), the unversioned REST aliases off
# (past their sunset date; /v1 only). It federates server-everything in its Streamable HTTP mode through
# a virtual server exposing only `echo`, which it names `everything-echo`, at /v1/virtual-servers/<id>/mcp.
#
# Env: CONTEXTFORGE_PORT (3914), CONTEXTFORGE_UPSTREAM_PORT (3915),
#      CONTEXTFORGE_VENV (default /work/.cache/contextforge-venv, beside the repository)

CONTEXTFORGE_PIN=1.1.0
CONTEXTFORGE_VENV="${CONTEXTFORGE_VENV:-$(dirname "$repo")/.cache/contextforge-venv}"

# a venv of Python 3.12 with the pinned release, made once; sets $CONTEXTFORGE_VERSION
install_contextforge() {
  local py="$CONTEXTFORGE_VENV/bin/python" have
  have=$("$py" -c 'import importlib.metadata as m; print(m.version("mcp-contextforge-gateway"))' 2>/dev/null || true)
  if [ "$have" != "$CONTEXTFORGE_PIN" ]; then
    if [ ! -x "$py" ]; then
      . "$repo/scripts/lib/find-python.sh"
      find_python 3.12 3.12 || die "ContextForge needs Python 3.12; tried:$FIND_TRIED"
      mkdir -p "$(dirname "$CONTEXTFORGE_VENV")"
      "$FOUND_PY" -m venv "$CONTEXTFORGE_VENV" || die "no venv made in $CONTEXTFORGE_VENV"
    fi
    say "installing mcp-contextforge-gateway $CONTEXTFORGE_PIN into $CONTEXTFORGE_VENV"
    "$py" -m pip install -q "mcp-contextforge-gateway==$CONTEXTFORGE_PIN" >"$tmp/contextforge-pip.log" 2>&1 \
      || { tail -20 "$tmp/contextforge-pip.log" >&2; die "pip install mcp-contextforge-gateway failed"; }
  fi
  CONTEXTFORGE_VERSION=$CONTEXTFORGE_PIN
}

cf_secret() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n'; }

cf_api() { # method path [json] -> the answer's body; dies on an HTTP error
  local -a data=()
  [ -z "${3:-}" ] || data=(-H 'Content-Type: application/json' --data "$3")
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $cf_token" "${data[@]}" "$cf_base$2" \
    || die "ContextForge $1 $2 failed"
}

run_contextforge() {
  local port=${CONTEXTFORGE_PORT:-3914} up_port=${CONTEXTFORGE_UPSTREAM_PORT:-3915} tool=everything-echo
  cf_base="http://127.0.0.1:$port"
  PORT=$up_port start_bg contextforge-upstream "$NODE" "$everything_js" streamableHttp
  local up=$started_pid
  wait_port "$up_port" contextforge-upstream "$up"

  # It refuses weak or placeholder secrets and passwords: random ones each run. The admin user is
  # created in the fresh database at startup; env -C keeps a stray .env out and its files in $tmp.
  local -a cf_env=(DATABASE_URL="sqlite:///$tmp/contextforge.db" CACHE_TYPE=memory
    JWT_SECRET_KEY="$(cf_secret)" AUTH_ENCRYPTION_SECRET="$(cf_secret)" AUTH_REQUIRED=true
    PLATFORM_ADMIN_EMAIL=admin@example.com PLATFORM_ADMIN_PASSWORD="Bench-1-$(cf_secret)"
    DEFAULT_USER_PASSWORD="Bench-1-$(cf_secret)" USE_STATEFUL_SESSIONS=true JSON_RESPONSE_ENABLED=true
    SSRF_ALLOW_LOCALHOST=true RATE_LIMITING_ENABLED=false MCPGATEWAY_UI_ENABLED=false LEGACY_API_ENABLED=false)
  say "starting ContextForge $CONTEXTFORGE_VERSION on port $port"
  start_bg contextforge env -C "$tmp" "${cf_env[@]}" "$CONTEXTFORGE_VENV/bin/mcpgateway" --host 127.0.0.1 --port "$port"
  local gw=$started_pid
  cf_token=$(env -C "$tmp" "${cf_env[@]}" "$CONTEXTFORGE_VENV/bin/python" -m mcpgateway.utils.create_jwt_token \
    --username admin@example.com --admin --exp 1440 2>"$tmp/contextforge-token.log") \
    || { cat "$tmp/contextforge-token.log" >&2; die "no ContextForge token"; }
  # it runs its migrations before it listens: 10-15 s, longer on a busy machine
  local ready=0
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null "$cf_base/health"; then ready=1; break; fi
    kill -0 "$gw" 2>/dev/null || { tail -20 "$tmp/contextforge.log" >&2; die "ContextForge exited"; }
    sleep 0.5
  done
  [ "$ready" = 1 ] || die "ContextForge not healthy on $port after 120 s (log: $tmp/contextforge.log)"

  # the upstream (its tools are named <gateway slug>-<tool>), then a virtual server with echo alone
  cf_api POST /v1/gateways "{\"name\":\"everything\",\"url\":\"http://127.0.0.1:$up_port/mcp\",\"transport\":\"STREAMABLEHTTP\"}" >/dev/null
  local tool_id server_id
  tool_id=$(cf_api GET /v1/tools | "$NODE" -e 'let s = ""; process.stdin.on("data", c => s += c).on("end", () => {
    const t = JSON.parse(s).find(t => t.name === process.argv[1]); process.stdout.write(t ? t.id : "") })' "$tool")
  [ -n "$tool_id" ] || die "ContextForge lists no tool $tool"
  server_id=$(json_field "$(cf_api POST /v1/servers "{\"server\":{\"name\":\"bench\",\"associated_tools\":[\"$tool_id\"]}}")" id)
  [ -n "$server_id" ] || die "ContextForge made no virtual server"

  measure contextforge "$cf_base/v1/virtual-servers/$server_id/mcp" "$tool" "$gw" "$up" "Bearer $cf_token"
  stop_bg "$gw"
  stop_bg "$up"
}
