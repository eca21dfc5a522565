#!/usr/bin/env bash
# The token overhead of MCP tool definitions for the five data-role agents, the way the integration
# plan frames it ("MCP adds about 27.5 % tokens; hold it under 15 %"): the tokens of each fixed task's
# run WITH the tool definitions against the same run's prompts WITHOUT them, counted with Sluice's
# Tokenizer (jtokkit, o200k_base for openai:gpt-4o-mini), in four variants: none (the baseline),
# all-raw (every federated tool as listed), role-raw (the role's subset as listed) and role-compact
# (the subset compacted by ToolDefinitions, Sluice's default). No model is called and no server runs:
# the tasks' tool results were captured from the real MCP servers by bench/token-overhead/capture.py
# into bench/token-overhead/tasks.json (run it again to refresh them). The roles' system prompts and
# subsets are read from db-migrations/V2__agent_profiles.sql; the tool definitions from a saved
# `GET /api/v1/tools` answer.
#
# Needs: the built modules    mvn -B -DskipTests install   (the agents, core and registry jars, and
#                             Jackson and jtokkit in the local Maven repository)
# Usage: bench/token-overhead.sh [tools.json]   (default bench/data/federated-tools-default.json)
# Env:   TASKS       the tasks file (default bench/token-overhead/tasks.json)
#        MODEL       model reference for the tokenizer (default openai:gpt-4o-mini)
#        M2_REPO     the local Maven repository (default ~/.m2/repository)
# Writes the tables to stdout and, with the machine and versions, to bench/results/token-overhead-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=token-overhead
. bench/lib.sh

tools_file="${1:-bench/data/federated-tools-default.json}"
tasks_file="${TASKS:-bench/token-overhead/tasks.json}"
model="${MODEL:-openai:gpt-4o-mini}"
m2="${M2_REPO:-$HOME/.m2/repository}"
profiles=db-migrations/V2__agent_profiles.sql

[ -f "$tools_file" ] || die "no tools file $tools_file"
[ -f "$tasks_file" ] || die "no tasks file $tasks_file: run python3 bench/token-overhead/capture.py first"

module_jar() { # module
  local f
  for f in modules/"$1"/target/sluice-"$1"-*.jar; do
    case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue;; esac
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }

cp_entries=()
for m in agents core registry; do
  jar=$(module_jar "$m") || die "no jar in modules/$m/target: run mvn -B -DskipTests install first"
  cp_entries+=("$jar")
done
jackson=$(pom_property jackson.version)
jtokkit=$(pom_property jtokkit.version)
[ -n "$jackson" ] && [ -n "$jtokkit" ] || die "no jackson.version or jtokkit.version in pom.xml"
jc="$m2/com/fasterxml/jackson/core"
# jackson-annotations is versioned major.minor from Jackson 2.20 on
annotations=
for v in "$jackson" "${jackson%.*}"; do
  [ -f "$jc/jackson-annotations/$v/jackson-annotations-$v.jar" ] && { annotations="$jc/jackson-annotations/$v/jackson-annotations-$v.jar"; break; }
done
for f in "$jc/jackson-databind/$jackson/jackson-databind-$jackson.jar" "$jc/jackson-core/$jackson/jackson-core-$jackson.jar" \
    "$annotations" "$m2/com/knuddels/jtokkit/$jtokkit/jtokkit-$jtokkit.jar"; do
  [ -n "$f" ] && [ -f "$f" ] || die "missing ${f:-jackson-annotations $jackson} in $m2: run mvn -B -DskipTests install first"
  cp_entries+=("$f")
done
classpath=$(IFS=:; echo "${cp_entries[*]}")

java_cmd=java
[ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
command -v "$java_cmd" >/dev/null || die "no java on PATH and no JAVA_HOME"

say "counting ($tools_file, $tasks_file, $model)"
"$java_cmd" -Dmodel="$model" -cp "$classpath" bench/token-overhead/TokenOverhead.java "$tools_file" "$tasks_file" "$profiles" \
  >"$tmp/out.md" || die "TokenOverhead failed"

echo
cat "$tmp/out.md"

# ---- report ----
json_get() { # file python-expression over d
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null || echo —
}
agents_jar=${cp_entries[0]}
sluice_version=$(unzip -p "$agents_jar" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo —)
[ -z "$(git status --porcelain -- modules 2>/dev/null)" ] || commit="$commit, with uncommitted changes under modules/"
result=$(result_file token-overhead)
{
  echo "# MCP tool-definition token overhead, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`bench/token-overhead.sh\`: each fixed task of the five data roles replayed as the agent loop sends it"
  echo "(system prompt, task, then per model call the earlier tool calls and their real results, the last call"
  echo "answering), its tokens counted with and without tool definitions. Overhead = (tokens with − tokens"
  echo "without) / tokens without; the integration plan's figure is about 27.5 %, its target under 15 %. No model"
  echo "was called: the results were captured from the real MCP servers by \`bench/token-overhead/capture.py\`."
  echo
  echo "- machine: $(machine_line)"
  echo "- Java: $(java_version); Sluice ${sluice_version:-—} (agents jar \`$agents_jar\`, commit $commit); jtokkit $jtokkit, Jackson $jackson"
  echo "- tool definitions: \`$tools_file\` ($(json_get "$tools_file" 'len(d["tools"] if isinstance(d, dict) else d)') tools); profiles: \`$profiles\`"
  echo "- tasks: \`$tasks_file\`, captured $(json_get "$tasks_file" 'd.get("capturedAt", "—")') from the servers $(json_get "$tasks_file" '", ".join(k + " (serverInfo " + v + ")" for k, v in d.get("servers", {}).items())')"
  echo
  cat "$tmp/out.md"
} >"$result"
say "written $result"
