package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.RepositoryFiles;
import it.support.Gateway;
import it.support.Http;
import it.support.SluiceNode;
import it.support.TestTokens;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A black-box adversarial suite against a node of its own: tests/adversarial/attacks.test.mjs (Node's
 * built-in test runner, no dependencies) attacks key issuance, tool scopes, roles, run-time catalog
 * entries, the upstream's environment, the SQL guard (more than 80 smuggling attempts, each proven
 * from the upstream's side never to have arrived), oversized chunked bodies, path spellings around
 * authentication, floods of invented keys, the ids of 401 answers and forged tokens. This test
 * starts the node with the security catalog ({@code catalog-security.yaml}: the policy fixture and
 * server-postgres on the local PostgreSQL), a test identity provider whose role map does not map the
 * value {@code admin}, and a short failed-authentication window; it creates the suite's keys as the
 * owner, mints its tokens, runs it and requires every attack to fail.
 */
class AdversarialIT {
    private static final int PORT = Integer.getInteger("sluice.it.adversarial.port", 9191);
    /** Given to the policy upstream as POLICY_SECRET; no answer may show it. */
    private static final String PLANTED_SECRET = "planted-adv-" + UUID.randomUUID();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /**
     * Each role by a value of its own, and {@code admin} and {@code owner} by other names, so that a
     * token whose groups merely say "admin" gains nothing.
     */
    private static final String ROLE_MAP = "viewer=viewer,analyst=analyst,engineer=engineer,sluice-admins=admin,"
            + "sluice-owners=owner";

    private static TestTokens idp;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() throws IOException {
        idp = TestTokens.generate();
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_SECURITY_JWT_ROLE_MAP", ROLE_MAP);
        // the throttle on: the flood meets it; the window is short so that the suite waits little
        env.put("SLUICE_SECURITY_AUTH_FAILURES_LIMIT", "40");
        env.put("SLUICE_SECURITY_AUTH_FAILURES_WINDOW", "PT5S");
        env.put("SLUICE_SECURITY_AUTH_FAILURES_AUDITED", "5");
        sluice = Gateway.startSecurityNode("sluice-adversarial", PORT, idp, PLANTED_SECRET, env);
        awaitUpstreams();
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice);
    }

    /** Both upstreams start on first use; wait (best effort) until the owner sees their tools. */
    private static void awaitUpstreams() {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> tools = sluice.http().get("/api/v1/tools");
                if (tools.statusCode() == 200 && tools.body().contains("policy__peek")
                        && tools.body().contains("postgres__query")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the node or an upstream is still starting
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A key the owner creates for a subject of its own; returns its secret. */
    private static String key(String role, String... toolScope) {
        StringBuilder scope = new StringBuilder();
        for (String s : toolScope) {
            scope.append(scope.isEmpty() ? "" : ",").append('"').append(s).append('"');
        }
        String body = "{\"name\": \"adv-it-" + role + "-" + RUN + "\", \"role\": \"" + role + "\", \"owner\": \"adv-it-"
                + role + (toolScope.length > 0 ? "-scoped" : "") + "-" + RUN + "\", \"expiresInDays\": 1"
                + (toolScope.length > 0 ? ", \"toolScope\": [" + scope + "]" : "") + "}";
        Http owner = sluice.http();
        HttpResponse<String> r = owner.send(owner.request("/api/v1/api-keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as("creating a %s key: %s", role, r.body()).isEqualTo(201);
        JsonNode answer = Http.json(r);
        return answer.path("secret").asText();
    }

    @Test
    void everyAttackFails() throws Exception {
        Path suite = RepositoryFiles.resolve("tests/adversarial");
        assertThat(suite.resolve("attacks.test.mjs")).isRegularFile();

        Map<String, String> keys = new HashMap<>();
        for (String role : List.of("viewer", "analyst", "engineer", "admin")) {
            keys.put(role, key(role));
        }
        String scoped = key("engineer", "policy/peek");

        Path log = Gateway.tmp().resolve("adversarial-tests.log");
        Path node = Gateway.node22();
        ProcessBuilder pb = new ProcessBuilder(Files.isExecutable(node) ? node.toString() : "node", "--test",
                "--test-reporter=spec", "attacks.test.mjs")
                .directory(suite.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SLUICE_URL", "http://127.0.0.1:" + PORT);
        env.put("SLUICE_OWNER_KEY", sluice.http().authorization().replaceFirst("^Bearer ", ""));
        env.put("SLUICE_VIEWER_KEY", keys.get("viewer"));
        env.put("SLUICE_ANALYST_KEY", keys.get("analyst"));
        env.put("SLUICE_ENGINEER_KEY", keys.get("engineer"));
        env.put("SLUICE_ADMIN_KEY", keys.get("admin"));
        env.put("SLUICE_SCOPED_KEY", scoped);
        env.put("SLUICE_PLANTED_SECRET", PLANTED_SECRET);
        env.put("SLUICE_ALLOWED_COMMAND", Gateway.mcpDir().resolve("node_modules/.bin/mcp-server-everything").toString());
        env.put("SLUICE_TOKEN_ISSUER", TestTokens.ISSUER);
        env.put("SLUICE_TOKEN_AUDIENCE", TestTokens.AUDIENCE);
        env.put("SLUICE_TOKEN_ANALYST", idp.rs256("adv-analyst-" + RUN, "analyst"));
        env.put("SLUICE_TOKEN_ALG_NONE", idp.unsigned(idp.claims("adv-none-" + RUN, "owner", "sluice-owners")));
        env.put("SLUICE_TOKEN_WRONG_AUDIENCE", idp.rs256(idp.claims("adv-aud-" + RUN, "sluice-owners")
                .audience("another-service")));
        env.put("SLUICE_TOKEN_STRANGER", idp.signedByStranger(idp.claims("adv-stranger-" + RUN, "sluice-owners")));
        env.put("SLUICE_TOKEN_HS256_PUBLIC_KEY", idp.hs256WithPublicKey(idp.claims("adv-hs256-" + RUN, "sluice-owners")));
        env.put("SLUICE_TOKEN_EXPIRED", idp.rs256(idp.claims("adv-expired-" + RUN, "sluice-owners")
                .issueTime(TestTokens.ago(Duration.ofHours(2))).expirationTime(TestTokens.ago(Duration.ofHours(1)))));
        env.put("SLUICE_TOKEN_GROUP_ADMIN_UNMAPPED", idp.rs256("adv-group-admin-" + RUN, "admin"));
        env.put("SLUICE_TOKEN_GROUP_ADMIN_MAPPED", idp.rs256("adv-mapped-admin-" + RUN, "sluice-admins"));

        Process tests = pb.start();
        boolean finished = tests.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            tests.descendants().forEach(ProcessHandle::destroyForcibly);
            tests.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("the attacks finished within 5 minutes:\n" + tail(output)).isTrue();
        assertThat(tests.exitValue()).as("tests/adversarial/attacks.test.mjs:\n" + tail(output)).isZero();
        assertThat(output).as(tail(output)).contains("ℹ fail 0").doesNotContain("ℹ pass 0");

        // the node is still whole: the owner works and the planted secret never left it
        HttpResponse<String> keysList = sluice.http().get("/api/v1/api-keys");
        assertThat(keysList.statusCode()).as(keysList.body()).isEqualTo(200);
        assertThat(output).as("the suite's output").doesNotContain(PLANTED_SECRET);
    }

    private static String tail(String output) {
        return output.length() <= 8000 ? output : output.substring(output.length() - 8000);
    }
}
