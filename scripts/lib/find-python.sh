# Sourced by the installers (install-mcp-servers.sh, airflow-service.sh): finds a working Python.
#
# find_python MIN [MAX [ONLY]]
#   sets FOUND_PY to the absolute path of a working interpreter with MIN <= version <= MAX (MAX default 3.14),
#   or returns 1 with what it tried in FIND_TRIED. Candidates: ONLY when given (and nothing else), else
#   $SLUICE_MCP_PYTHON, python3 on PATH (preferred for servers happy with it), then python3.N, pyenv's
#   versions and /usr{,/local}/bin/python3.N for each N in range. No subshell, so both variables reach the caller.
FIND_TRIED="" FOUND_PY=""
py_version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
version_ge() { [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1) == "$2" ]]; }
find_python() {
  local min=$1 max=${2:-3.14} only=${3:-} minor cand v pyroot
  local -a cands=()
  if [[ -n $only ]]; then
    cands+=("$only")
  else
    [[ -n ${SLUICE_MCP_PYTHON:-} ]] && cands+=("$SLUICE_MCP_PYTHON")
    cands+=(python3)
    pyroot=$(pyenv root 2>/dev/null || true)
    for minor in 10 11 12 13 14; do
      version_ge "3.$minor" "$min" && version_ge "$max" "3.$minor" || continue
      cands+=("python3.$minor")
      for cand in /root/.pyenv/versions/3.$minor*/bin/python3 ${pyroot:+$pyroot/versions/3.$minor*/bin/python3}; do
        [[ $cand == *'*'* ]] || cands+=("$cand")
      done
      cands+=("/usr/bin/python3.$minor" "/usr/local/bin/python3.$minor")
    done
  fi
  FIND_TRIED="" FOUND_PY=""
  for cand in "${cands[@]}"; do
    # A pyenv shim may exist but not work: require `--version` to succeed.
    if ! "$cand" --version >/dev/null 2>&1; then FIND_TRIED+=" $cand(not runnable)"; continue; fi
    v=$(py_version_of "$cand") || { FIND_TRIED+=" $cand(?)"; continue; }
    if version_ge "$v" "$min" && version_ge "$max" "$v"; then
      if [[ $cand != /* ]]; then cand=$("$cand" -c 'import sys; print(sys.executable)'); fi
      FOUND_PY=$cand; return 0
    fi
    FIND_TRIED+=" $cand($v)"
  done
  return 1
}
