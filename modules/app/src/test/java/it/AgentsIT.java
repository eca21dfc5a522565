package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.RepositoryFiles;
import dev.sluice.core.Json;
import it.support.DataStack;
import it.support.Gateway;
import it.support.Http;
import it.support.ModelStandIn;
import it.support.PostgresDatabase;
import it.support.SluiceNode;
import it.support.UpstreamProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five data-role agents on a node (its store on PostgreSQL) with the built-in catalog's real data-stack servers, talking to
 * local stand-ins of the OpenAI and Anthropic APIs (tests/standins; no model provider can be reached
 * from here) that answer from scripts: each role's model asks for a real tool, Sluice runs it through
 * the pipeline as the caller, and the run record shows every step and the tokens the stand-in reported.
 */
class AgentsIT {
    private static final int PORT = Integer.getInteger("sluice.it.agents.port", 9188);
    private static final int OPENAI_PORT = 3951;
    private static final int ANTHROPIC_PORT = 3952;
    private static final int REDIS_DB = 12;
    private static final String OPENAI_KEY = "sk-openai-standin-0123456789abcdef";
    private static final String ANTHROPIC_KEY = "sk-ant-standin-0123456789abcdef";
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    private static DataStack dataStack;
    private static PostgresDatabase store;
    private static UpstreamProcess openai;
    private static UpstreamProcess anthropic;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() throws Exception {
        openai = ModelStandIn.start("openai-chat.mjs", OPENAI_PORT, OPENAI_KEY);
        anthropic = ModelStandIn.start("anthropic-messages.mjs", ANTHROPIC_PORT, ANTHROPIC_KEY);
        dataStack = new DataStack(REDIS_DB, 3944, 3945, 3946);
        Map<String, String> env = dataStack.environment();
        // Sluice's own store on PostgreSQL, as in production: profiles, runs, steps, token usage, budget alerts
        store = PostgresDatabase.create();
        env.putAll(store.environment());
        env.put("SLUICE_AGENTS_OPENAI_BASE_URL", "http://127.0.0.1:" + OPENAI_PORT);
        env.put("SLUICE_AGENTS_OPENAI_API_KEY", OPENAI_KEY);
        env.put("ANTHROPIC_TEST_KEY", ANTHROPIC_KEY);
        env.put("SLUICE_AGENTS_ANTHROPIC_BASE_URL", "http://127.0.0.1:" + ANTHROPIC_PORT);
        env.put("SLUICE_AGENTS_ANTHROPIC_API_KEY", "env:ANTHROPIC_TEST_KEY"); // a key by reference
        env.put("SLUICE_AGENTS_BUDGET_PER_MODEL", "openai:budgeted-model=1000");
        // above every seeded role's subset (at most about 1,700 tokens), so only the test that widens one sees tools on demand
        env.put("SLUICE_AGENTS_ON_DEMAND_TOOLS_ABOVE", "2500");
        env.put("SLUICE_AGENTS_MAX_BACKGROUND_RUNS", "1");
        sluice = Gateway.start("sluice-agents", PORT, env);
        new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "SET", "agents-it", "present").start().waitFor();
    }

    @AfterAll
    static void stop() throws Exception {
        new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "FLUSHDB").start().waitFor();
        Gateway.closeAll(sluice, dataStack, store, openai, anthropic);
    }

    /** Queues the model's replies for one conversation on a stand-in. */
    private static void script(int port, String conversation, String turnsJson) throws Exception {
        HttpResponse<String> r = PLAIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_script"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"conversation\": \"" + conversation + "\", \"turns\": " + turnsJson + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** The request bodies a stand-in received for one conversation. */
    private static List<JsonNode> requests(int port, String conversation) throws Exception {
        HttpResponse<String> r = PLAIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/_requests?conversation=" + conversation)).build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        Http.json(r.body()).forEach(out::add);
        return out;
    }

    private static HttpResponse<String> run(Http as, String role, String task) {
        return as.send(as.request("/api/v1/agents/" + role + "/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object().put("task", task)))),
                Duration.ofMinutes(3));
    }

    private static JsonNode completedRun(String role, String conversation, String tool, String arguments,
            String answer) throws Exception {
        script(OPENAI_PORT, conversation, "[{\"toolCalls\": [{\"name\": \"" + tool + "\", \"arguments\": " + arguments
                + "}], \"usage\": {\"prompt\": 400, \"completion\": 25}}, {\"text\": \"" + answer
                + "\", \"usage\": {\"prompt\": 520, \"completion\": 40}}]");
        HttpResponse<String> r = run(sluice.http(), role, "[conversation:" + conversation + "] " + answer);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode run = Http.json(r);
        assertThat(run.path("status").asText()).as(r.body()).isEqualTo("completed");
        assertThat(run.path("answer").asText()).isEqualTo(answer);
        JsonNode steps = run.path("steps");
        assertThat(steps).hasSize(3);
        assertThat(steps.get(0).path("kind").asText()).isEqualTo("model");
        assertThat(steps.get(0).path("outcome").asText()).isEqualTo("tool_calls");
        assertThat(steps.get(0).path("promptTokens").asLong()).isEqualTo(400);
        assertThat(steps.get(0).path("completionTokens").asLong()).isEqualTo(25);
        assertThat(steps.get(1).path("kind").asText()).isEqualTo("tool");
        assertThat(steps.get(1).path("tool").asText()).isEqualTo(tool);
        assertThat(steps.get(1).path("outcome").asText()).as(steps.get(1).toString()).isEqualTo("ok");
        assertThat(steps.get(2).path("outcome").asText()).isEqualTo("answer");
        assertThat(run.path("promptTokens").asLong()).isEqualTo(920);
        assertThat(run.path("completionTokens").asLong()).isEqualTo(65);
        // the stored run reads back the same
        JsonNode stored = Http.json(sluice.http().get("/api/v1/agents/runs/" + run.path("id").asText()));
        assertThat(stored.path("steps")).hasSize(3);
        return run;
    }

    /** What the model was told about its tool call: the tool message of the second request. */
    private static String toolResultSentBack(String conversation) throws Exception {
        assertThat(requests(OPENAI_PORT, conversation)).hasSize(2);
        return toolResultSentBack(conversation, 1);
    }

    /** The newest tool message of one request of a conversation. */
    private static String toolResultSentBack(String conversation, int request) throws Exception {
        List<JsonNode> sent = requests(OPENAI_PORT, conversation);
        String last = null;
        for (JsonNode m : sent.get(request).path("body").path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                last = m.path("content").asText();
            }
        }
        if (last == null) {
            throw new AssertionError("no tool message in " + sent.get(request));
        }
        return last;
    }

    @Test
    void theDataPlatformEngineerReadsRedis() throws Exception {
        completedRun("data-platform-engineer", "platform-1", "redis__dbsize", "{}", "Redis holds 1 key.");
        assertThat(toolResultSentBack("platform-1")).isEqualTo("1");
    }

    @Test
    void aRoleWithManyToolsGetsThemOnDemand() throws Exception {
        JsonNode before = Http.json(sluice.http().get("/api/v1/agents/data-platform-engineer"));
        // every tool of the catalog: their definitions cost far more than sluice.agents.on-demand-tools-above
        HttpResponse<String> put = sluice.http().send(sluice.http().request("/api/v1/agents/data-platform-engineer")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"tools\": [\"*\"]}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        try {
            script(OPENAI_PORT, "on-demand", "[{\"toolCalls\": [{\"name\": \"sluice_find_tools\", \"arguments\":"
                    + " {\"query\": \"redis__get\"}}]}, {\"toolCalls\": [{\"name\": \"redis__get\", \"arguments\":"
                    + " {\"key\": \"agents-it\"}}]}, {\"text\": \"The key holds present.\"}]");
            HttpResponse<String> r = run(sluice.http(), "data-platform-engineer", "[conversation:on-demand] What is in agents-it?");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode run = Http.json(r);
            assertThat(run.path("status").asText()).as(r.body()).isEqualTo("completed");
            JsonNode steps = run.path("steps");
            assertThat(steps).hasSize(5);
            assertThat(steps.get(1).path("tool").asText()).isEqualTo("sluice_find_tools");
            assertThat(steps.get(1).path("outcome").asText()).isEqualTo("ok");
            assertThat(steps.get(3).path("tool").asText()).isEqualTo("redis__get");
            assertThat(steps.get(3).path("outcome").asText()).as(steps.get(3).toString()).isEqualTo("ok");

            List<JsonNode> sent = requests(OPENAI_PORT, "on-demand");
            assertThat(sent).hasSize(3);
            // the first call offers the lookup alone, naming the role's tools without their schemas
            JsonNode first = sent.get(0).path("body").path("tools");
            assertThat(first).hasSize(1);
            assertThat(first.get(0).path("function").path("name").asText()).isEqualTo("sluice_find_tools");
            assertThat(first.get(0).path("function").path("description").asText()).contains("redis__get", "redis__hset");
            // then the lookup and what it found, with its schema
            JsonNode second = sent.get(1).path("body").path("tools");
            assertThat(second).hasSize(2);
            assertThat(second.get(1).path("function").path("name").asText()).isEqualTo("redis__get");
            assertThat(second.get(1).path("function").path("parameters").path("required").toString()).isEqualTo("[\"key\"]");
            assertThat(toolResultSentBack("on-demand", 2)).contains("present");
        } finally {
            ObjectNode restore = Json.object();
            restore.set("tools", before.path("tools"));
            sluice.http().send(sluice.http().request("/api/v1/agents/data-platform-engineer")
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(Json.write(restore))));
        }
    }

    @Test
    void aRunStartedWithoutWaitingIsWatchedStepByStep() throws Exception {
        script(OPENAI_PORT, "watched", "[{\"toolCalls\": [{\"name\": \"redis__dbsize\", \"arguments\": {}}]},"
                + " {\"text\": \"Redis holds 1 key.\", \"delayMs\": 1500}]");
        Http as = sluice.http();
        HttpResponse<String> r = as.send(as.request("/api/v1/agents/data-platform-engineer/runs")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"task\": \"[conversation:watched] How many keys?\", \"wait\": false}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode started = Http.json(r);
        assertThat(started.path("status").asText()).isEqualTo("running");
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/api/v1/agents/runs/" + started.path("id").asText());
        // one background run at a time on this node: a second is refused while the first goes on
        HttpResponse<String> second = as.send(as.request("/api/v1/agents/data-platform-engineer/runs")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"task\": \"another\", \"wait\": false}")));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
        assertThat(Http.json(second).path("detail").asText()).contains("sluice.agents.max-background-runs");
        // while the model takes its time over the answer, the tool step is already there
        JsonNode midway = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            midway = Http.json(as.get("/api/v1/agents/runs/" + started.path("id").asText()));
            if (midway.path("steps").size() >= 2 || !"running".equals(midway.path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(midway.path("status").asText()).as(midway.toString()).isEqualTo("running");
        assertThat(midway.path("steps").get(1).path("tool").asText()).isEqualTo("redis__dbsize");
        JsonNode done = midway;
        while (System.currentTimeMillis() < deadline && "running".equals(done.path("status").asText())) {
            Thread.sleep(200);
            done = Http.json(as.get("/api/v1/agents/runs/" + started.path("id").asText()));
        }
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("answer").asText()).isEqualTo("Redis holds 1 key.");
        assertThat(done.path("steps")).hasSize(3);
        HttpResponse<String> bad = as.send(as.request("/api/v1/agents/data-platform-engineer/runs")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"task\": \"x\", \"wait\": \"no\"}")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).path("detail").asText()).contains("'wait'");
    }

    @Test
    void theDataEngineerQueriesPostgres() throws Exception {
        completedRun("data-engineer", "engineer-1", "postgres__execute_sql",
                "{\"sql\": \"select owner from pipelines where name = 'nightly-orders'\"}", "data-eng owns it.");
        assertThat(toolResultSentBack("engineer-1")).contains("data-eng");
    }

    @Test
    void theAnalyticsEngineerQueriesTheDuckDbWarehouse() throws Exception {
        completedRun("analytics-engineer", "analytics-1", "motherduck__execute_query",
                "{\"sql\": \"select count(*) as orders from orders\"}", "There are 40 orders.");
        assertThat(toolResultSentBack("analytics-1")).contains("40");
    }

    @Test
    void theDataScientistListsTheSampleFiles() throws Exception {
        completedRun("data-scientist", "scientist-1", "mcp-analyst__get_files_list", "{}", "Two CSV files.");
        assertThat(toolResultSentBack("scientist-1")).contains("orders.csv").contains("customers.csv");
    }

    @Test
    void theDataAnalystAnswersThroughAnthropic() throws Exception {
        HttpResponse<String> put = sluice.http().send(sluice.http().request("/api/v1/agents/data-analyst")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"routineModel\": \"anthropic:claude-standin\"}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        try {
            script(ANTHROPIC_PORT, "analyst-1", "[{\"text\": \"Let me look.\", \"toolCalls\": [{\"name\":"
                    + " \"motherduck__execute_query\", \"arguments\": {\"sql\": \"select c.name from orders o join customers c"
                    + " using (customer_id) where o.order_id = 1001\"}}], \"usage\": {\"prompt\": 300, \"completion\": 30}},"
                    + " {\"text\": \"Order 1001 is Cobalt Retail's.\", \"usage\": {\"prompt\": 380, \"completion\": 12,"
                    + " \"cached\": 290}}]");
            HttpResponse<String> r = run(sluice.http(), "data-analyst", "[conversation:analyst-1] Whose is order 1001?");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode run = Http.json(r);
            assertThat(run.path("status").asText()).as(r.body()).isEqualTo("completed");
            assertThat(run.path("model").asText()).isEqualTo("anthropic:claude-standin");
            assertThat(run.path("promptTokens").asLong()).isEqualTo(680);
            // the second call read 290 of its 380 prompt tokens from Anthropic's prompt cache
            assertThat(run.path("cachedPromptTokens").asLong()).isEqualTo(290);
            assertThat(run.path("steps").get(2).path("cachedPromptTokens").asLong()).isEqualTo(290);
            assertThat(run.path("steps").get(0).path("cachedPromptTokens").asLong()).isZero();
            List<JsonNode> sent = requests(ANTHROPIC_PORT, "analyst-1");
            // cache breakpoints: after the tools and system prompt, and after the conversation so far
            JsonNode first = sent.get(0).path("body");
            assertThat(first.path("system").get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
            JsonNode lastBlock = sent.get(1).path("body").path("messages").get(2).path("content").get(0);
            assertThat(lastBlock.path("cache_control").path("type").asText()).isEqualTo("ephemeral");
            assertThat(sent.get(1).path("body").path("messages").get(0).path("content").path(0).has("cache_control"))
                    .as("only the newest message carries the moving breakpoint").isFalse();
            JsonNode byModel = Http.json(sluice.http().get("/api/v1/agents/usage?by=model"));
            JsonNode claude = null;
            for (JsonNode u : byModel.path("usage")) {
                if ("anthropic:claude-standin".equals(u.path("key").asText())) {
                    claude = u;
                }
            }
            assertThat(claude).as(byModel.toString()).isNotNull();
            assertThat(claude.path("cachedPromptTokens").asLong()).isGreaterThanOrEqualTo(290);
            JsonNode byDay = Http.json(sluice.http().get("/api/v1/agents/usage?by=day"));
            assertThat(byDay.path("usage").get(byDay.path("usage").size() - 1).path("key").asText())
                    .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).path("headers").path("x-api-key").asBoolean()).isTrue();
            JsonNode toolResult = sent.get(1).path("body").path("messages").get(2).path("content").get(0);
            assertThat(toolResult.path("type").asText()).isEqualTo("tool_result");
            assertThat(toolResult.path("content").asText()).contains("Cobalt Retail");
        } finally {
            sluice.http().send(sluice.http().request("/api/v1/agents/data-analyst").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"routineModel\": null}")));
        }
    }

    @Test
    void onlyTheRolesToolsAndTheCallersRightsAreOfferedAndAnythingElseIsRefusedAndAudited() throws Exception {
        // an analyst's key: read tools only
        HttpResponse<String> created = sluice.http().send(sluice.http().request("/api/v1/api-keys")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"agents-it analyst\", \"role\": \"analyst\", \"owner\": \"ana\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Http analyst = sluice.http().withBearer(Http.json(created).path("secret").asText());
        // the scientist may store in qdrant (a write tool) — but not when an analyst asks
        sluice.http().send(sluice.http().request("/api/v1/agents/data-scientist").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tools\": [\"mcp-analyst__*\", \"qdrant__*\"]}")));
        try {
            script(OPENAI_PORT, "refusals-1", "[{\"toolCalls\": ["
                    + "{\"name\": \"qdrant__qdrant-store\", \"arguments\": {\"information\": \"should never be stored\"}},"
                    + "{\"name\": \"redis__set\", \"arguments\": {\"key\": \"agents-it\", \"value\": \"overwritten\"}},"
                    + "{\"name\": \"nowhere__nothing\", \"arguments\": {\"api_key\": \"live-key-7f3a9c2e51\"}}]},"
                    + " {\"text\": \"I could not do that.\"}]");
            HttpResponse<String> r = run(analyst, "data-scientist", "[conversation:refusals-1] store and overwrite");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode run = Http.json(r);
            assertThat(run.path("subject").asText()).isEqualTo("ana");
            Map<String, String> outcomes = new HashMap<>();
            run.path("steps").forEach(s -> {
                if ("tool".equals(s.path("kind").asText())) {
                    outcomes.put(s.path("tool").asText(), s.path("outcome").asText() + " " + s.path("detail").asText());
                }
            });
            assertThat(outcomes.get("qdrant__qdrant-store")).startsWith("refused").contains("forbidden");
            assertThat(outcomes.get("redis__set")).startsWith("refused").contains("not among the tools");
            assertThat(outcomes.get("nowhere__nothing")).startsWith("refused").contains("unknown-tool");
            assertThat(r.body()).as("a secret in the model's arguments is not kept in the run").doesNotContain("live-key-7f3a9c2e51")
                    .contains("[REDACTED]");

            List<JsonNode> sent = requests(OPENAI_PORT, "refusals-1");
            List<String> offered = new ArrayList<>();
            sent.get(0).path("body").path("tools").forEach(t -> offered.add(t.path("function").path("name").asText()));
            assertThat(offered).contains("mcp-analyst__get_files_list", "qdrant__qdrant-find")
                    .doesNotContain("qdrant__qdrant-store").allMatch(n -> n.startsWith("mcp-analyst__") || n.startsWith("qdrant__"));
            ArrayNode messages = (ArrayNode) sent.get(1).path("body").path("messages");
            List<String> toolMessages = new ArrayList<>();
            messages.forEach(m -> {
                if ("tool".equals(m.path("role").asText())) {
                    toolMessages.add(m.path("content").asText());
                }
            });
            assertThat(toolMessages).hasSize(3).allMatch(t -> t.startsWith("refused"));

            Process get = new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "GET", "agents-it").start();
            assertThat(new String(get.getInputStream().readAllBytes()).strip()).isEqualTo("present");
            JsonNode audit = Http.json(sluice.http().get("/api/v1/audit?server=redis&outcome=denied"));
            assertThat(audit.toString()).contains("\"target\":\"set\"").contains("\"channel\":\"agent\"")
                    .contains("\"subject\":\"ana\"");
        } finally {
            sluice.http().send(sluice.http().request("/api/v1/agents/data-scientist").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"tools\": [\"mcp-analyst__*\", \"motherduck__execute_query\","
                            + " \"motherduck__list_*\", \"milvus__milvus_list_collections\", \"milvus__milvus_get_collection_info\","
                            + " \"milvus__milvus_query\", \"milvus__milvus_*_search\", \"qdrant__qdrant-find\", \"pandas__*\"]}")));
        }
    }

    @Test
    void aMonthlyBudgetAlertsOnceAtEightyPercentAndRefusesWhenSpent() throws Exception {
        sluice.http().send(sluice.http().request("/api/v1/agents/data-platform-engineer").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"routineModel\": \"openai:budgeted-model\"}")));
        try {
            script(OPENAI_PORT, "budget-1", "[{\"text\": \"fine\", \"usage\": {\"prompt\": 700, \"completion\": 120}}]");
            HttpResponse<String> first = run(sluice.http(), "data-platform-engineer", "[conversation:budget-1] check");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            script(OPENAI_PORT, "budget-2", "[{\"text\": \"still fine\", \"usage\": {\"prompt\": 150, \"completion\": 50}}]");
            HttpResponse<String> second = run(sluice.http(), "data-platform-engineer", "[conversation:budget-2] check");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
            // 1020 of 1000 tokens used: the next run is refused before it calls the model
            HttpResponse<String> third = run(sluice.http(), "data-platform-engineer", "[conversation:budget-3] check");
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            JsonNode problem = Http.json(third);
            assertThat(problem.path("type").asText()).endsWith("/token-budget-exceeded");
            assertThat(problem.path("detail").asText()).contains("model:openai:budgeted-model").contains("1020 of 1000");
            assertThat(requests(OPENAI_PORT, "budget-3")).isEmpty();

            String log = java.nio.file.Files.readString(sluice.messagesLog());
            assertThat(log.split("token budget 'model:openai:budgeted-model' reached", -1)).as("the alert is logged once")
                    .hasSize(2);
            JsonNode alerts = Http.json(sluice.http().get("/api/v1/audit?action=token-budget/alert"));
            assertThat(alerts.toString()).contains("model:openai:budgeted-model");
            String metrics = sluice.http().get("/metrics").body();
            assertThat(metrics).containsPattern("mcp_token_budget_alerts_total\\{[^}]*scope=\"model:openai:budgeted-model\"[^}]*\\} 1\\.0");
            assertThat(metrics).containsPattern("mcp_token_usage_total\\{[^}]*agent=\"data-platform-engineer\"");
            // the dashboard's token panel queries what this node exposes
            String dashboard = java.nio.file.Files.readString(RepositoryFiles.resolve("deploy/grafana/dashboards/sluice.json"));
            for (String metric : CacheAndRateLimitIT.AGENT_METRICS) {
                assertThat(dashboard).contains(metric + "{");
                assertThat(metrics).contains(metric + "{");
            }
            JsonNode usage = Http.json(sluice.http().get("/api/v1/agents/usage?by=model"));
            JsonNode budget = null;
            for (JsonNode b : usage.path("budgets")) {
                if (b.path("scope").asText().equals("model:openai:budgeted-model")) {
                    budget = b;
                }
            }
            assertThat(budget).isNotNull();
            assertThat(budget.path("usedTokens").asLong()).isEqualTo(1020);
            assertThat(usage.toString()).contains("openai:budgeted-model");
        } finally {
            sluice.http().send(sluice.http().request("/api/v1/agents/data-platform-engineer").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"routineModel\": null}")));
        }
    }

    @Test
    void aModelWithoutUsageIsCountedWithATokenizerAndAnOverloadedProviderIsRetried() throws Exception {
        script(OPENAI_PORT, "tokenizer-1", "[{\"error\": {\"status\": 503}}, {\"text\": \"Counted by Sluice itself.\","
                + " \"usage\": null}]");
        HttpResponse<String> r = run(sluice.http(), "data-engineer", "[conversation:tokenizer-1] count yourself");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode run = Http.json(r);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(requests(OPENAI_PORT, "tokenizer-1")).hasSize(2);
        JsonNode step = run.path("steps").get(0);
        assertThat(step.path("detail").asText()).contains("\"countedBy\":\"tokenizer\"");
        assertThat(step.path("promptTokens").asLong()).as("the system prompt, task and tool definitions").isGreaterThan(100);
        assertThat(step.path("completionTokens").asLong()).isBetween(3L, 12L);
    }

    private static void putProfile(String role, String json) {
        HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/agents/" + role)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void theStepLimitAndTheRunsTokenBudgetStopARun() throws Exception {
        String dbsize = "{\"toolCalls\": [{\"name\": \"redis__dbsize\", \"arguments\": {}}], \"usage\": {\"prompt\": 100,"
                + " \"completion\": 10}}";
        putProfile("data-platform-engineer", "{\"stepLimit\": 2}");
        try {
            script(OPENAI_PORT, "limits-1", "[" + dbsize + ", " + dbsize + ", " + dbsize + "]");
            JsonNode run = Http.json(run(sluice.http(), "data-platform-engineer", "[conversation:limits-1] loop"));
            assertThat(run.path("status").asText()).isEqualTo("stopped");
            assertThat(run.path("stopReason").asText()).isEqualTo("step-limit");
            assertThat(requests(OPENAI_PORT, "limits-1")).hasSize(2);
        } finally {
            putProfile("data-platform-engineer", "{\"stepLimit\": 8}");
        }
        putProfile("data-platform-engineer", "{\"tokenBudget\": 150}");
        try {
            script(OPENAI_PORT, "limits-2", "[" + dbsize + ", " + dbsize + ", " + dbsize + "]");
            JsonNode run = Http.json(run(sluice.http(), "data-platform-engineer", "[conversation:limits-2] loop"));
            assertThat(run.path("stopReason").asText()).isEqualTo("token-budget");
            assertThat(run.path("error").asText()).contains("220").contains("150");
            assertThat(requests(OPENAI_PORT, "limits-2")).hasSize(2);
        } finally {
            putProfile("data-platform-engineer", "{\"tokenBudget\": 60000}");
        }
    }

    @Test
    void aLongResultReachesTheModelCutAndTheModelPagesOn() throws Exception {
        script(OPENAI_PORT, "paging-1", "[{\"toolCalls\": [{\"name\": \"motherduck__execute_query\", \"arguments\":"
                + " {\"sql\": \"select repeat('ab', 4000) || 'THE-END' as big\"}}]},"
                + " {\"toolCalls\": [{\"name\": \"sluice_read_more\", \"arguments\": {\"ref\": \"r1\", \"offset\": 6000}}]},"
                + " {\"text\": \"It ends with THE-END.\"}]");
        JsonNode run = Http.json(run(sluice.http(), "analytics-engineer", "[conversation:paging-1] read it all"));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
        List<JsonNode> sent = requests(OPENAI_PORT, "paging-1");
        assertThat(sent).hasSize(3);
        String first = lastToolMessage(sent.get(1));
        assertThat(first).doesNotContain("THE-END").contains("[cut: characters 0–6000 of")
                .contains("call sluice_read_more with {\"ref\": \"r1\", \"offset\": 6000}");
        assertThat(sent.get(0).path("body").path("tools").toString()).doesNotContain("sluice_read_more");
        assertThat(sent.get(1).path("body").path("tools").toString()).contains("sluice_read_more");
        assertThat(lastToolMessage(sent.get(2))).contains("THE-END");
        long motherduckCalls = 0;
        for (JsonNode step : run.path("steps")) {
            motherduckCalls += "motherduck__execute_query".equals(step.path("tool").asText()) ? 1 : 0;
        }
        assertThat(motherduckCalls).as("paging reads the kept result, it does not call the tool again").isEqualTo(1);
    }

    private static String lastToolMessage(JsonNode request) {
        String last = null;
        for (JsonNode m : request.path("body").path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                last = m.path("content").asText();
            }
        }
        return last;
    }

    @Test
    void badRequestsAreRefusedWithProblems() {
        HttpResponse<String> unknown = run(sluice.http(), "data-wizard", "anything");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.json(unknown).path("detail").asText()).contains("data-wizard").contains("data-analyst");
        HttpResponse<String> empty = sluice.http().send(sluice.http().request("/api/v1/agents/data-analyst/runs")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"task\": \"\"}")));
        assertThat(empty.statusCode()).isEqualTo(400);
        HttpResponse<String> badModel = sluice.http().send(sluice.http().request("/api/v1/agents/data-analyst")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"routineModel\": \"gpt-4o\"}")));
        assertThat(badModel.statusCode()).isEqualTo(400);
        assertThat(Http.json(badModel).path("detail").asText()).contains("openai:<model>");
        HttpResponse<String> viewer = sluice.http().anonymous().send(sluice.http().anonymous()
                .request("/api/v1/agents/data-analyst/runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"task\": \"x\"}")));
        assertThat(viewer.statusCode()).isEqualTo(401);
        ObjectNode profile = (ObjectNode) Http.json(sluice.http().get("/api/v1/agents/data-analyst"));
        assertThat(profile.path("tools").toString()).contains("motherduck__execute_query");
        assertThat(Http.json(sluice.http().get("/api/v1/agents")).size()).isEqualTo(5);
    }
}
