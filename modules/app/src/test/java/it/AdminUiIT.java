package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.RepositoryFiles;
import it.support.Gateway;
import it.support.Http;
import it.support.ModelStandIn;
import it.support.SluiceNode;
import it.support.UpstreamProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin UI in a real browser: a node with the test catalog's real upstreams and the OpenAI
 * stand-in, real calls made first (so the dashboard has data), then tests/ui/admin.test.mjs drives
 * headless Chromium (the Debian package, through playwright-core) through every page: sign in, the
 * dashboard, disabling and enabling a server, the tool explorer's generated form, the audit log and
 * its CSV, API keys, an agent run watched step by step, and a viewer who sees no admin action. It
 * writes a screenshot of each page to target/admin-screenshots; with SLUICE_REFRESH_SCREENSHOTS=1
 * they replace those in src-docs/images/admin.
 */
class AdminUiIT {
    private static final int PORT = Integer.getInteger("sluice.it.admin-ui.port", 9189);
    private static final int OPENAI_PORT = 3953;
    private static final String OPENAI_KEY = "sk-openai-standin-admin-ui";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/lib/chromium/chromium"));

    private static UpstreamProcess openai;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        openai = ModelStandIn.start("openai-chat.mjs", OPENAI_PORT, OPENAI_KEY);
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_AGENTS_OPENAI_BASE_URL", "http://127.0.0.1:" + OPENAI_PORT);
        env.put("SLUICE_AGENTS_OPENAI_API_KEY", OPENAI_KEY);
        // the browser's agent run (770 tokens) takes this budget past its 80 % alert, and the token page shows it
        env.put("SLUICE_AGENTS_BUDGET_MONTHLY_TOKENS", "900");
        sluice = Gateway.start("sluice-admin-ui", PORT, env);
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice, openai);
    }

    private static HttpResponse<String> send(String method, String path, String json) {
        Http as = sluice.http();
        return as.send(as.request(path).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void everyPageWorksInABrowser() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium (apt-get install chromium chromium-driver; scripts/test-services.sh)")
                .isExecutable();
        Path uiTests = RepositoryFiles.resolve("tests/ui");
        assertThat(uiTests.resolve("node_modules/playwright-core")).as("scripts/install-mcp-test-deps.sh installs it")
                .isDirectory();
        // the UI is in the WAR
        HttpResponse<String> page = sluice.http().anonymous().get("/admin/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("app.js");

        // real calls first, so that the dashboard, the audit log and the cache have something to show
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> echo = send("POST", "/api/v1/servers/everything/tools/echo/call",
                    "{\"arguments\": {\"message\": \"warm-up " + (i % 3) + "\"}}");
            assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);
        }
        assertThat(send("POST", "/api/v1/servers/everything/tools/echo/call", "{\"arguments\": {}}").statusCode())
                .as("an invalid call, for the error rate").isEqualTo(400);
        assertThat(send("POST", "/api/v1/servers/memory/tools/read_graph/call", "{\"arguments\": {}}").statusCode())
                .isEqualTo(200);
        // the analyst agent may use echo, and talks to the stand-in
        HttpResponse<String> profile = send("PUT", "/api/v1/agents/data-analyst",
                "{\"servers\": [\"everything\"], \"tools\": [\"everything__echo\"], \"routineModel\": \"openai:gpt-4o-mini\"}");
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        HttpResponse<String> viewer = send("POST", "/api/v1/api-keys",
                "{\"name\": \"admin-ui-viewer\", \"role\": \"viewer\", \"owner\": \"ui-viewer\"}");
        assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(201);

        Path shots = Path.of("target", "admin-screenshots").toAbsolutePath();
        Path log = Gateway.tmp().resolve("admin-ui-tests.log");
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "admin.test.mjs")
                .directory(uiTests.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SLUICE_URL", "http://127.0.0.1:" + PORT);
        env.put("SLUICE_OWNER_KEY", sluice.http().authorization().replaceFirst("^Bearer ", ""));
        env.put("SLUICE_VIEWER_KEY", Http.json(viewer).path("secret").asText());
        env.put("SLUICE_SERVER", "memory");
        env.put("SLUICE_TOOL", "everything__echo");
        env.put("SLUICE_TOOL_ARGUMENT", "message");
        env.put("SLUICE_AGENT_ROLE", "data-analyst");
        env.put("OPENAI_STANDIN_URL", "http://127.0.0.1:" + OPENAI_PORT);
        env.put("SLUICE_ALERTED_BUDGET", "all");
        env.put("SCREENSHOT_DIR", shots.toString());
        env.put("CHROMIUM", CHROMIUM.toString());
        Process tests = pb.start();
        boolean finished = tests.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            tests.descendants().forEach(ProcessHandle::destroyForcibly);
            tests.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("the browser tests finished within 6 minutes:\n" + tail(output)).isTrue();
        assertThat(tests.exitValue()).as("tests/ui/admin.test.mjs:\n" + tail(output)).isZero();
        assertThat(output).contains("ℹ fail 0").doesNotContain("ℹ pass 0");

        // a screenshot of every page
        for (String name : List.of("dashboard", "dashboard-phone", "servers", "server-detail", "tools", "tool-call",
                "audit", "tokens", "keys", "agents", "agent-run", "cache")) {
            assertThat(shots.resolve(name + ".png")).as(name).isNotEmptyFile();
        }
        if ("1".equals(System.getenv("SLUICE_REFRESH_SCREENSHOTS"))) {
            Path docs = Files.createDirectories(RepositoryFiles.resolve("src-docs/images/admin"));
            try (Stream<Path> pngs = Files.list(shots)) {
                for (Path png : pngs.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.copy(png, docs.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        // what the browser did went through the API: the server is back, the key it made is revoked
        JsonNode memory = Http.json(sluice.http().get("/api/v1/servers/memory"));
        assertThat(memory.path("enabled").asBoolean()).isTrue();
        assertThat(memory.path("changedBy").asText()).isEqualTo("owner");
    }

    private static String tail(String output) throws IOException {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }
}
