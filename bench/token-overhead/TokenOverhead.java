import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.ToolSpec;
import dev.sluice.agents.internal.Tokenizer;
import dev.sluice.agents.internal.ToolDefinitions;
import dev.sluice.agents.internal.ToolFinder;
import dev.sluice.core.Json;
import dev.sluice.registry.VirtualServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token overhead of MCP tool definitions for the five data roles, the way the integration plan
 * frames it: the tokens of a task's run WITH the tool definitions against the same run's prompts
 * WITHOUT them. Each task of tasks.json (bench/token-overhead/capture.py) is replayed as the agent loop
 * (AgentRunner) would send it: model call k's prompt is the role's system prompt, the task, and every
 * earlier assistant tool call and tool result, as the OpenAI request JSON carries them ({@code messages}
 * and {@code tools}, OpenAiProvider); call k's completion is the step's tool calls, the last call's the
 * answer. Tokens are counted with Sluice's Tokenizer (jtokkit). Variants:
 * <ul>
 * <li>{@code none}: no tool definitions (the baseline),
 * <li>{@code all-raw}: every federated tool as listed (a gateway without roles),
 * <li>{@code role-raw}: the role's subset as listed,
 * <li>{@code role-compact}: the role's subset compacted by ToolDefinitions (Sluice's default).
 * </ul>
 * Overhead of a variant = (its tokens − none) / none.
 *
 * <p>Usage: {@code java -cp <agents, core, registry, jackson, jtokkit jars> TokenOverhead.java
 * <tools.json> <tasks.json> [profiles.sql]} (profiles default: db-migrations/V2__agent_profiles.sql).
 * System properties: {@code model} (openai:gpt-4o-mini), {@code maxDescription} (300),
 * {@code maxResultChars} (6000), {@code target} (0.15).
 */
public class TokenOverhead {
    static final String MODEL = System.getProperty("model", "openai:gpt-4o-mini");
    static final int MAX_DESCRIPTION = Integer.getInteger("maxDescription", 300);
    static final int MAX_RESULT_CHARS = Integer.getInteger("maxResultChars", 6000);
    static final double TARGET = Double.parseDouble(System.getProperty("target", "0.15"));
    static final String READ_MORE = "sluice_read_more";
    static final String[] VARIANTS = {"none", "all-raw", "role-raw", "role-compact", "role-on-demand"};
    static final int ON_DEMAND = 4;
    /** Prompt-cache prices relative to an uncached prompt token (Anthropic: reads 0.1, 5-minute writes 1.25). */
    static final double READ_RATE = Double.parseDouble(System.getProperty("cacheReadRate", "0.1"));
    static final double WRITE_RATE = Double.parseDouble(System.getProperty("cacheWriteRate", "1.25"));

    record Profile(String role, String systemPrompt, List<String> servers, List<String> tools) {
    }

    /** A role's tools in one variant: the specs, and the {@code tools} array a request carries. */
    record Offered(List<ToolSpec> specs, ArrayNode array) {
    }

    /** Totals of one task or a sum of tasks: tokens per variant, model calls, tool-array tokens. */
    static final class Sum {
        final long[] tokens = new long[VARIANTS.length];
        final long[] weighted = new long[VARIANTS.length];
        int calls;
        int tasks;

        void add(Sum o) {
            for (int v = 0; v < tokens.length; v++) {
                tokens[v] += o.tokens[v];
                weighted[v] += o.weighted[v];
            }
            calls += o.calls;
            tasks += o.tasks;
        }

        double overhead(int v) {
            return (tokens[v] - tokens[0]) / (double) tokens[0];
        }

        /** The overhead with a prompt cache: cache-weighted tokens against the baseline's, cached alike. */
        double cachedOverhead(int v) {
            return (weighted[v] - weighted[0]) / (double) weighted[0];
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -cp <jars> TokenOverhead.java <tools.json> <tasks.json> [profiles.sql]");
            System.exit(64);
        }
        JsonNode toolsDoc = Json.parse(Files.readAllBytes(Path.of(args[0])));
        JsonNode toolsNode = toolsDoc.isArray() ? toolsDoc : toolsDoc.path("tools");
        List<ObjectNode> all = new ArrayList<>();
        toolsNode.forEach(t -> all.add((ObjectNode) t));
        JsonNode tasksDoc = Json.parse(Files.readAllBytes(Path.of(args[1])));
        JsonNode tasks = tasksDoc.isArray() ? tasksDoc : tasksDoc.path("tasks");
        Path profilesFile = Path.of(args.length > 2 ? args[2] : "db-migrations/V2__agent_profiles.sql");
        Map<String, Profile> profiles = profiles(Files.readString(profilesFile, StandardCharsets.UTF_8));

        Offered allRaw = offered(new ToolDefinitions(all, false, MAX_DESCRIPTION).specs());
        List<String> notes = new ArrayList<>();
        for (ToolSpec s : allRaw.specs()) {
            if (all.stream().noneMatch(t -> t.path("name").asText().equals(s.name()))) {
                notes.add("`" + s.name() + "` is an alias Sluice gives a name a provider would refuse");
            }
        }

        Map<String, Sum> byRole = new LinkedHashMap<>();
        Map<String, List<ObjectNode>> subsets = new LinkedHashMap<>();
        Map<String, Offered[]> offeredByRole = new LinkedHashMap<>();
        for (Profile p : profiles.values()) {
            List<ObjectNode> subset = subset(p, all);
            subsets.put(p.role(), subset);
            offeredByRole.put(p.role(), new Offered[] {
                    new Offered(List.of(), null), allRaw,
                    offered(new ToolDefinitions(subset, false, MAX_DESCRIPTION).specs()),
                    offered(new ToolDefinitions(subset, true, MAX_DESCRIPTION).specs())});
            byRole.put(p.role(), new Sum());
        }

        List<String> taskRows = new ArrayList<>();
        int n = 0;
        for (JsonNode task : tasks) {
            n++;
            String role = task.path("role").asText();
            Profile p = profiles.get(role);
            if (p == null) {
                throw new IllegalArgumentException("task " + n + ": no profile for the role '" + role + "' in " + profilesFile);
            }
            Sum s = replay(n, p, task, subsets.get(role), offeredByRole.get(role), notes);
            byRole.get(role).add(s);
            taskRows.add("| " + n + " | " + role + " | " + cell(task.path("task").asText(), 70) + " | " + s.calls + " | "
                    + s.tokens[0] + " | " + s.tokens[3] + " | " + pct(s.overhead(3)) + " | " + s.tokens[4] + " | "
                    + pct(s.overhead(4)) + " |");
        }

        // ---- the report ----
        StringBuilder out = new StringBuilder();
        out.append("Tokenizer: jtokkit ").append(encodingName()).append(" (Sluice's `Tokenizer.count(\"").append(MODEL)
                .append("\", …)`); each prompt counted as the OpenAI request JSON carries it (`messages`, and `tools` as")
                .append(" `{type: function, function: {name, description, parameters}}`), each completion as the tool")
                .append(" calls' JSON or the answer's text. Compaction: `ToolDefinitions(compact=true, maxDescription=")
                .append(MAX_DESCRIPTION).append(")`. ").append(n).append(" tasks, ").append(all.size())
                .append(" federated tools.\n\n");

        out.append("| role | tools (all / role) | baseline tokens | overhead all-raw | role-raw | role-compact | role-on-demand |")
                .append(" with a prompt cache: role-compact | role-on-demand |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        Sum overall = new Sum();
        for (Map.Entry<String, Sum> e : byRole.entrySet()) {
            Sum s = e.getValue();
            if (s.tasks == 0) {
                continue;
            }
            overall.add(s);
            out.append("| ").append(e.getKey()).append(" | ").append(all.size()).append(" / ")
                    .append(subsets.get(e.getKey()).size()).append(" | ").append(s.tokens[0]).append(" | ")
                    .append(pct(s.overhead(1))).append(" | ").append(pct(s.overhead(2))).append(" | ")
                    .append(pct(s.overhead(3))).append(" | ").append(pct(s.overhead(4))).append(" | ")
                    .append(pct(s.cachedOverhead(3))).append(" | ").append(pct(s.cachedOverhead(4))).append(" |\n");
        }
        out.append("| **overall** | ").append(all.size()).append(" / ")
                .append(subsets.values().stream().flatMap(List::stream).map(t -> t.path("name").asText()).distinct().count())
                .append(" distinct | ").append(overall.tokens[0]).append(" | ").append(pct(overall.overhead(1)))
                .append(" | ").append(pct(overall.overhead(2))).append(" | ").append(pct(overall.overhead(3)))
                .append(" | ").append(pct(overall.overhead(4))).append(" | ").append(pct(overall.cachedOverhead(3)))
                .append(" | ").append(pct(overall.cachedOverhead(4))).append(" |\n\n");
        out.append("On demand: the run starts with `").append(ToolFinder.NAME).append("` alone (its description names the")
                .append(" role's tools); the model's first call asks it for the tools the task calls, and those are offered")
                .append(" from then on. With a prompt cache: prompt tokens weighted as a prefix cache bills them (a call's")
                .append(" prefix that the previous call sent, read at ").append(READ_RATE).append(", the rest written at ")
                .append(WRITE_RATE).append(", Anthropic's prices for 5-minute breakpoints; completions at 1), for the")
                .append(" baseline alike; each task starts cold.\n\n");

        out.append("Tokens per variant (sums over the role's tasks) and what one model call carries:\n\n");
        out.append("| role | tasks | model calls | none | all-raw | role-raw | role-compact | role-on-demand | `tools` per call: all-raw | role-raw | role-compact | baseline per call | baseline per call for role-compact ≤ ")
                .append(pct(TARGET).replace("+", "")).append(" |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Sum> e : byRole.entrySet()) {
            Sum s = e.getValue();
            if (s.tasks == 0) {
                continue;
            }
            Offered[] o = offeredByRole.get(e.getKey());
            long compactPerCall = arrayTokens(o[3]);
            out.append("| ").append(e.getKey()).append(" | ").append(s.tasks).append(" | ").append(s.calls);
            for (long t : s.tokens) {
                out.append(" | ").append(t);
            }
            out.append(" | ").append(arrayTokens(o[1])).append(" | ").append(arrayTokens(o[2])).append(" | ")
                    .append(compactPerCall).append(" | ").append(Math.round(s.tokens[0] / (double) s.calls)).append(" | ≥ ")
                    .append(Math.round(compactPerCall / TARGET)).append(" |\n");
        }
        out.append("| **overall** | ").append(overall.tasks).append(" | ").append(overall.calls);
        for (long t : overall.tokens) {
            out.append(" | ").append(t);
        }
        out.append(" | | | | ").append(Math.round(overall.tokens[0] / (double) overall.calls)).append(" | |\n\n");

        out.append("Per task (role-compact and role-on-demand against none):\n\n");
        out.append("| # | role | task | model calls | none | role-compact | overhead | role-on-demand | overhead |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        taskRows.forEach(r -> out.append(r).append('\n'));
        out.append('\n');

        out.append("The 5 tool definitions per role that cost the most after compaction (tokens of the tool's entry in")
                .append(" `tools`, compacted and as listed; description characters compacted / as listed):\n\n");
        for (Map.Entry<String, Offered[]> e : offeredByRole.entrySet()) {
            if (byRole.get(e.getKey()).tasks == 0) {
                continue;
            }
            Offered raw = e.getValue()[2];
            Offered compact = e.getValue()[3];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < compact.specs().size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> -count(Json.write(compact.array().get(i)))));
            out.append("**").append(e.getKey()).append("** (").append(compact.specs().size()).append(" tools, ")
                    .append(arrayTokens(compact)).append(" tokens compacted)\n\n");
            out.append("| tool | tokens compacted | tokens as listed | description chars |\n|---|---|---|---|\n");
            for (int i : order.subList(0, Math.min(5, order.size()))) {
                ToolSpec c = compact.specs().get(i);
                ToolSpec r = raw.specs().get(i);
                out.append("| ").append(c.name()).append(" | ").append(count(Json.write(compact.array().get(i))))
                        .append(" | ").append(count(Json.write(raw.array().get(i)))).append(" | ")
                        .append(c.description() == null ? 0 : c.description().length()).append(" / ")
                        .append(r.description() == null ? 0 : r.description().length()).append(" |\n");
            }
            out.append('\n');
        }
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        System.out.print(out);
    }

    /** Replays one task as the agent loop sends it, counting every model call in every variant. */
    static Sum replay(int n, Profile p, JsonNode task, List<ObjectNode> subset, Offered[] offered, List<String> notes) {
        // the names a model sees (and calls): the aliases of the role's definitions
        Map<String, String> alias = new LinkedHashMap<>();
        for (int i = 0; i < subset.size(); i++) {
            alias.put(subset.get(i).path("name").asText(), offered[3].specs().get(i).name());
        }
        Sum s = new Sum();
        s.tasks = 1;
        for (int v = 0; v < VARIANTS.length; v++) {
            long[] r = replay(n, p, task, alias, offered[v == ON_DEMAND ? 3 : v], v == ON_DEMAND, v > 0, notes);
            s.tokens[v] = r[0];
            s.weighted[v] = r[1];
            if (v == 0) {
                s.calls = (int) r[2];
            }
        }
        return s;
    }

    /**
     * One variant of a task: {tokens, cache-weighted tokens, model calls}. On demand, the run starts with
     * the lookup alone (ToolFinder), the model's first call asks it for the tools the task then calls, and
     * from then on the lookup and what it found are offered (AgentRunner.Loop.specs).
     */
    static long[] replay(int n, Profile p, JsonNode task, Map<String, String> alias, Offered offered, boolean onDemand,
            boolean withTools, List<String> notes) {
        ArrayNode history = Json.array();
        history.addObject().put("role", "system").put("content", p.systemPrompt());
        history.addObject().put("role", "user").put("content", task.path("task").asText());
        Random ids = new Random(n);
        JsonNode steps = task.path("steps");
        boolean cut = false; // a result was cut: sluice_read_more is offered from the next call on
        int resultNo = 0;
        long tokens = 0;
        double weighted = 0;
        int calls = 0;
        String prevTools = "";
        long prevToolsTokens = 0;
        long prevPrompt = 0;
        ToolFinder finder = onDemand ? new ToolFinder(offered.specs()) : null;
        List<ToolSpec> found = new ArrayList<>();
        for (int k = onDemand ? -1 : 0; k <= steps.size(); k++) {
            String completion;
            ObjectNode assistant = Json.object().put("role", "assistant");
            assistant.putNull("content");
            List<ObjectNode> results = new ArrayList<>();
            if (k == -1) { // the lookup: the names of every tool the task will call
                List<String> names = new ArrayList<>();
                steps.forEach(st -> st.path("toolCalls").forEach(c -> {
                    String a = alias.get(c.path("name").asText());
                    if (a != null && !names.contains(a)) {
                        names.add(a);
                    }
                }));
                String id = callId(ids);
                ObjectNode args = Json.object().put("query", String.join(", ", names));
                assistant.putArray("tool_calls").addObject().put("id", id).put("type", "function").putObject("function")
                        .put("name", ToolFinder.NAME).put("arguments", Json.write(args));
                List<ToolSpec> hits = finder.find(args.path("query").asText());
                results.add(Json.object().put("role", "tool").put("tool_call_id", id).put("content", ToolFinder.answer(hits)));
                completion = Json.write(assistant.path("tool_calls"));
                offeredNext(found, hits);
            } else if (k < steps.size()) {
                JsonNode step = steps.get(k);
                ArrayNode calls2 = assistant.putArray("tool_calls");
                int i = 0;
                for (JsonNode c : step.path("toolCalls")) {
                    String name = c.path("name").asText();
                    if (!alias.containsKey(name)) {
                        throw new IllegalArgumentException("task " + n + ": " + name + " is not among the tools of " + p.role());
                    }
                    String id = callId(ids);
                    calls2.addObject().put("id", id).put("type", "function").putObject("function")
                            .put("name", alias.get(name)).put("arguments", Json.write(c.path("arguments")));
                    String text = step.path("results").path(i).asText("");
                    if (text.length() > MAX_RESULT_CHARS) { // AgentRunner.Loop.execute and page
                        String ref = "r" + (++resultNo);
                        text = text.substring(0, MAX_RESULT_CHARS) + "\n[cut: characters 0–" + MAX_RESULT_CHARS + " of "
                                + text.length() + " shown; call " + READ_MORE + " with {\"ref\": \"" + ref
                                + "\", \"offset\": " + MAX_RESULT_CHARS + "} for more, or narrow the call]";
                        if (!withTools) {
                            notes.add("task " + n + ": the result of " + name + " was cut at " + MAX_RESULT_CHARS
                                    + " characters, as a run would cut it");
                        }
                    }
                    results.add(Json.object().put("role", "tool").put("tool_call_id", id).put("content", text));
                    i++;
                }
                completion = Json.write(calls2);
            } else {
                assistant = null;
                completion = task.path("answer").asText();
            }
            int completionTokens = count(completion);
            ObjectNode body = Json.object();
            body.set("messages", history);
            ArrayNode tools = null;
            if (withTools) {
                Offered now = onDemand ? offered(withLookup(finder, found)) : offered;
                tools = tools(now, cut);
            }
            if (tools != null) {
                body.set("tools", tools);
            }
            long prompt = count(Json.write(body));
            tokens += prompt + completionTokens;
            // a prefix cache (Anthropic's, with breakpoints after the tools and system prompt and after the
            // conversation): what the previous call sent is read at READ_RATE if the tools are unchanged, else
            // only the unchanged start of the tools; the rest is written at WRITE_RATE
            String toolsJson = tools == null ? "" : Json.write(tools);
            long toolsTokens = tools == null ? 0 : count(toolsJson);
            long shared = calls == 0 ? 0 : toolsJson.equals(prevTools) ? prevPrompt
                    : toolsJson.startsWith(prevTools.isEmpty() ? "\u0000" : prevTools.substring(0, prevTools.length() - 1))
                            ? prevToolsTokens : 0;
            weighted += READ_RATE * shared + WRITE_RATE * (prompt - shared) + completionTokens;
            prevTools = toolsJson;
            prevToolsTokens = toolsTokens;
            prevPrompt = prompt;
            calls++;
            if (assistant != null) {
                history.add(assistant);
                results.forEach(history::add);
                cut |= resultNo > 0;
            }
        }
        return new long[] {tokens, Math.round(weighted), calls};
    }

    private static void offeredNext(List<ToolSpec> found, List<ToolSpec> hits) {
        hits.stream().filter(h -> !found.contains(h)).forEach(found::add);
    }

    private static List<ToolSpec> withLookup(ToolFinder finder, List<ToolSpec> found) {
        List<ToolSpec> out = new ArrayList<>();
        out.add(finder.spec());
        out.addAll(found);
        return out;
    }

    /** The {@code tools} array of a request, as OpenAiProvider builds it; null when there is none. */
    static ArrayNode tools(Offered offered, boolean readMore) {
        if (offered.specs().isEmpty()) {
            return null;
        }
        if (!readMore) {
            return offered.array();
        }
        ArrayNode with = offered.array().deepCopy();
        ObjectNode schema = Json.object().put("type", "object"); // AgentRunner.Loop.specs
        ObjectNode props = schema.putObject("properties");
        props.putObject("ref").put("type", "string").put("description", "the ref a cut result named");
        props.putObject("offset").put("type", "integer").put("description", "the character to continue from");
        schema.putArray("required").add("ref").add("offset");
        with.add(entry(new ToolSpec(READ_MORE, "Reads more of a tool result that was cut short.", schema)));
        return with;
    }

    static Offered offered(List<ToolSpec> specs) {
        ArrayNode array = Json.array();
        specs.forEach(s -> array.add(entry(s)));
        return new Offered(specs, array);
    }

    static ObjectNode entry(ToolSpec t) { // OpenAiProvider.complete
        ObjectNode tool = Json.object().put("type", "function");
        ObjectNode fn = tool.putObject("function");
        fn.put("name", t.name());
        if (t.description() != null && !t.description().isEmpty()) {
            fn.put("description", t.description());
        }
        fn.set("parameters", t.inputSchema());
        return tool;
    }

    static long arrayTokens(Offered o) {
        return o.array() == null || o.specs().isEmpty() ? 0 : count(Json.write(o.array()));
    }

    /** The role's subset: PipelineToolGateway.subset over the federated list (FederationService.list). */
    static List<ObjectNode> subset(Profile p, List<ObjectNode> all) {
        if (p.tools().isEmpty()) {
            return List.of();
        }
        VirtualServer vs = new VirtualServer("agent:" + p.role(), "", p.servers(), p.tools(), true);
        return all.stream().filter(t -> vs.drawsFrom(t.path("server").asText()) && vs.includes(t.path("name").asText()))
                .toList();
    }

    static String callId(Random random) { // the shape of OpenAI's tool call ids
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static int count(String text) {
        return Tokenizer.count(MODEL, text);
    }

    static String encodingName() {
        return Tokenizer.encodingFor(MODEL).getName();
    }

    static String pct(double d) {
        return String.format(Locale.ROOT, "%+.1f %%", d * 100);
    }

    static String cell(String s, int max) {
        String t = s.replace("|", "\\|").replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }

    // ---- the profiles, from the INSERT INTO agent_profiles of the migration that seeds them ----

    static Map<String, Profile> profiles(String sql) {
        Matcher m = Pattern.compile("INSERT INTO agent_profiles\\s*\\(([^)]*)\\)\\s*VALUES", Pattern.CASE_INSENSITIVE)
                .matcher(sql);
        if (!m.find()) {
            throw new IllegalArgumentException("no INSERT INTO agent_profiles in the profiles file");
        }
        List<String> columns = new ArrayList<>();
        for (String c : m.group(1).split(",")) {
            columns.add(c.strip());
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        List<String> row = null;
        int depth = 0;
        for (int i = m.end(); i < sql.length();) {
            char c = sql.charAt(i);
            if (c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (sql.charAt(j) == '\'' && j + 1 < sql.length() && sql.charAt(j + 1) == '\'') {
                        value.append('\'');
                        j += 2;
                    } else if (sql.charAt(j) == '\'') {
                        break;
                    } else {
                        value.append(sql.charAt(j++));
                    }
                }
                row.add(value.toString());
                i = j + 1;
            } else if (c == '(') {
                depth++;
                row = new ArrayList<>();
                i++;
            } else if (c == ')') {
                depth--;
                Map<String, String> r = new LinkedHashMap<>();
                for (int k = 0; k < columns.size() && k < row.size(); k++) {
                    r.put(columns.get(k), row.get(k));
                }
                profiles.put(r.get("role_name"), new Profile(r.get("role_name"), r.get("system_prompt"),
                        csv(r.get("servers_csv")), csv(r.get("tools_csv"))));
                i++;
            } else if (c == ';' && depth == 0) {
                break;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '.')) {
                    j++;
                }
                row.add(sql.substring(i, j));
                i = j;
            } else {
                i++;
            }
        }
        return profiles;
    }

    static List<String> csv(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
