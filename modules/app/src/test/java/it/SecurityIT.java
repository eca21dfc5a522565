package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.TestKeys;
import it.support.TestTokens;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sluice's security as a client meets it, on a node of its own: authentication (JWTs signed by a
 * test identity provider, API keys, the MCP authorization challenge), roles and access rules (what
 * {@code tools/list} shows, what a call may do), validation before the upstream (input schemas,
 * the SQL policy, command-line arguments), the audit trail, and secrets kept out of answers, logs
 * and audit records.
 *
 * <p>The upstream is the policy fixture ({@code tests/mcp/policy-server.mjs}), whose
 * {@code calls_seen} tool tells the test which calls reached it, so that every refusal is also
 * checked from the other side: the upstream never saw it. Refused calls carry a unique marker in
 * their arguments for that purpose. Real PostgreSQL sits behind {@code postgres__query}.
 *
 * <p>The groups run in order ({@link Order}); {@link Secrets} runs last, because it scans the
 * node's logs and the whole audit trail for every credential the other groups used.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final int PORT = 9184;
    private static final String BASE = "http://localhost:" + PORT;
    private static final String PROBLEMS = "https://sluice.dev/problems/";
    private static final String METADATA_MCP = BASE + "/.well-known/oauth-protected-resource/mcp";
    private static final String METADATA_BARE = BASE + "/.well-known/oauth-protected-resource";
    /** A cheap REST endpoint every authenticated caller may use (its own keys). */
    private static final String CHEAP = "/api/v1/api-keys";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"security-it\","
            + "\"version\":\"1\"}}}";

    /** Distinguishes this run's subjects, key owners and markers. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Given to the policy upstream as POLICY_SECRET; its fail_loudly tool quotes it in an error. */
    private static final String PLANTED_SECRET = "planted-" + UUID.randomUUID();
    /** Sent as an argument named "password"; the audit trail must mask it. */
    private static final String PLANTED_PASSWORD = "planted-pw-" + UUID.randomUUID();

    private static final Set<String> READ_TOOLS = Set.of("policy__run_query", "policy__strict_echo",
            "policy__legacy_echo", "policy__peek", "policy__count_calls", "policy__calls_seen", "postgres__query");
    private static final Set<String> WRITE_TOOLS = Set.of("policy__write_row", "policy__run_command",
            "policy__fail_loudly", "policy__show_env");
    private static final Set<String> ALL_TOOLS = Stream.concat(READ_TOOLS.stream(), WRITE_TOOLS.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Every API key secret the test sent, by a label that is safe to print. */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final AtomicInteger MARKS =
            new AtomicInteger(100_000 + ThreadLocalRandom.current().nextInt(800_000));

    private static TestTokens idp;
    private static SluiceNode sluice;
    private static McpSessionClient ownerSession;

    @BeforeAll
    static void start() throws IOException {
        idp = TestTokens.generate();
        sluice = Gateway.startSecurityNode("sluice-security", PORT, idp, PLANTED_SECRET, Map.of());
        awaitUpstreams();
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    /** Both upstreams start on first use; wait (best effort) until the owner sees their tools. */
    private static void awaitUpstreams() {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (toolNames(ownerSession().request("tools/list", null)).containsAll(
                        List.of("policy__peek", "postgres__query"))) {
                    return;
                }
            } catch (RuntimeException | AssertionError notYet) {
                // the node or an upstream is still starting
            }
            pause(Duration.ofMillis(500));
        }
    }

    /** The owner (bootstrap API key). */
    private static Http owner() {
        return sluice.http();
    }

    /** A client sending {@code Authorization: Bearer <credential>}. */
    private static Http as(String credential) {
        return sluice.http().withBearer(credential);
    }

    private static Http anonymous() {
        return sluice.http().anonymous();
    }

    /** A token subject unique to this run. */
    private static String subject(String who) {
        return who + "-" + RUN;
    }

    /** A valid RS256 token for {@code subject(who)} with the given groups. */
    private static String token(String who, String... groups) {
        return idp.rs256(subject(who), groups);
    }

    /** A string no other call of this run contains. */
    private static String marker() {
        return "m" + RUN + MARKS.incrementAndGet();
    }

    /** A six-digit number no other call of this run uses. */
    private static int mark() {
        return MARKS.incrementAndGet();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepUntil(Instant when) {
        Duration left = Duration.between(Instant.now(), when);
        if (!left.isNegative()) {
            pause(left);
        }
    }

    private static synchronized McpSessionClient ownerSession() {
        if (ownerSession == null) {
            McpSessionClient session = new McpSessionClient(owner(), "/mcp");
            session.initialize();
            ownerSession = session;
        }
        return ownerSession;
    }

    /** An initialized MCP session for the client's credentials. */
    private static McpSessionClient session(Http http) {
        McpSessionClient session = new McpSessionClient(http, "/mcp");
        session.initialize();
        return session;
    }

    private static Set<String> toolNames(JsonNode listAnswer) {
        Set<String> names = new TreeSet<>();
        listAnswer.path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    /** The tools a session's caller is shown, after checking that every upstream could be listed. */
    private static Set<String> visibleTools(McpSessionClient session) {
        JsonNode answer = session.request("tools/list", null);
        assertThat(answer.has("result")).as("tools/list answer %s", answer).isTrue();
        assertThat(answer.path("result").path("_meta").path("dev.sluice/federation").path("unavailable"))
                .as("upstreams that could not be listed, in %s", answer).isEmpty();
        return toolNames(answer);
    }

    /** Federated tool name → mode, as {@code GET /api/v1/tools} shows them to this client. */
    private static Map<String, String> restToolModes(Http http) {
        HttpResponse<String> r = http.get("/api/v1/tools");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, String> modes = new TreeMap<>();
        Http.json(r).path("tools").forEach(t -> modes.put(t.path("name").asText(), t.path("mode").asText()));
        return modes;
    }

    private static HttpResponse<String> postJson(Http http, String path, JsonNode body) {
        return http.send(http.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    /** {@code POST /api/v1/servers/{server}/tools/{tool}/call} with {@code {"arguments": ...}}. */
    private static HttpResponse<String> restCall(Http http, String server, String tool, ObjectNode arguments) {
        ObjectNode body = Json.object();
        body.set("arguments", arguments);
        return postJson(http, "/api/v1/servers/" + server + "/tools/" + tool + "/call", body);
    }

    private static HttpResponse<String> mcpInitialize(Http http) {
        return http.send(new McpSessionClient(http, "/mcp").post(INITIALIZE));
    }

    private static HttpResponse<String> mcpInitializeWithApiKeyHeader(String key) {
        Http anonymous = anonymous();
        return anonymous.send(new McpSessionClient(anonymous, "/mcp").post(INITIALIZE).header("X-API-Key", key));
    }

    private static HttpResponse<String> getWithApiKeyHeader(String key, String path) {
        Http anonymous = anonymous();
        return anonymous.send(anonymous.request(path).header("X-API-Key", key).GET());
    }

    /** The first text content of a tools/call answer, after checking that it is a result and no error. */
    private static String text(JsonNode answer) {
        assertThat(answer.has("result")).as("answer %s", answer).isTrue();
        assertThat(answer.path("result").path("isError").asBoolean(false)).as("answer %s", answer).isFalse();
        return answer.path("result").path("content").path(0).path("text").asText();
    }

    /** Checks a JSON-RPC error answer and returns its error object. */
    private static JsonNode rpcError(JsonNode answer, int code, String problem) {
        assertThat(answer.has("error")).as("an error, not %s", answer).isTrue();
        JsonNode error = answer.path("error");
        assertThat(error.path("code").asInt()).as("code in %s", answer).isEqualTo(code);
        assertThat(error.path("data").path("type").asText()).as("type in %s", answer).isEqualTo(PROBLEMS + problem);
        assertThat(error.path("message").asText()).as("message in %s", answer).isNotBlank();
        return error;
    }

    /** Checks a REST problem answer and returns the problem document. */
    private static JsonNode problem(HttpResponse<String> r, int status, String problem) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as("content type of %s", r.body())
                .startsWith("application/problem+json");
        JsonNode document = Http.json(r);
        assertThat(document.path("type").asText()).as("type in %s", r.body()).isEqualTo(PROBLEMS + problem);
        assertThat(document.path("status").asInt()).as("status in %s", r.body()).isEqualTo(status);
        assertThat(document.path("detail").asText()).as("detail in %s", r.body()).isNotBlank();
        return document;
    }

    private static String challenge(HttpResponse<String> r) {
        return r.headers().firstValue("WWW-Authenticate").orElse("");
    }

    /**
     * A 401 from an MCP endpoint: the challenge points at the MCP resource's metadata; the body is a
     * JSON-RPC error with the request's id. {@code reason} null: no credentials were sent (no invalid_token).
     */
    private static void assertMcpUnauthenticated(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(401);
        assertChallenge(challenge(r), METADATA_MCP, reason);
        JsonNode body = Http.json(r);
        assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
        // every MCP request of this test that is refused is INITIALIZE, id 0: the 401 answers that id
        assertThat(body.has("id") && body.get("id").isInt() && body.get("id").asInt() == 0).as("the request's id in %s",
                r.body()).isTrue();
        JsonNode error = rpcError(body, -32010, "unauthenticated");
        if (reason != null) {
            assertThat(error.path("data").path("reason").asText()).as("reason in %s", r.body()).isEqualTo(reason);
        }
    }

    /** A 401 from the REST API: the challenge points at the bare metadata URL; the body is a problem. */
    private static void assertRestUnauthenticated(HttpResponse<String> r, String reason) {
        JsonNode problem = problem(r, 401, "unauthenticated");
        assertChallenge(challenge(r), METADATA_BARE, reason);
        if (reason != null) {
            assertThat(problem.path("reason").asText()).as("reason in %s", r.body()).isEqualTo(reason);
        }
    }

    private static void assertChallenge(String challenge, String metadataUrl, String reason) {
        assertThat(challenge).startsWith("Bearer resource_metadata=\"" + metadataUrl + "\"");
        if (reason == null) {
            assertThat(challenge).as("no credentials, so no error in the challenge")
                    .isEqualTo("Bearer resource_metadata=\"" + metadataUrl + "\"");
        } else {
            assertThat(challenge).contains("error=\"invalid_token\"").contains("error_description=\"");
        }
    }

    /** The credential is refused alike by the MCP endpoint and the REST API. */
    private static void assertRefusedEverywhere(Http http, String reason) {
        assertMcpUnauthenticated(mcpInitialize(http), reason);
        assertRestUnauthenticated(http.get("/api/v1/tools"), reason);
    }

    /** The credential opens an MCP session and the REST API. */
    private static void assertAcceptedEverywhere(Http http) {
        HttpResponse<String> mcp = mcpInitialize(http);
        assertThat(mcp.statusCode()).as("initialize: %s", mcp.body()).isEqualTo(200);
        assertThat(mcp.headers().firstValue("Mcp-Session-Id")).isPresent();
        HttpResponse<String> rest = http.get("/api/v1/tools");
        assertThat(rest.statusCode()).as("GET /api/v1/tools: %s", rest.body()).isEqualTo(200);
    }

    /** The calls the policy upstream received, as "tool args-json" (its calls_seen tool). */
    private static List<String> callsSeen() {
        String seen = text(ownerSession().callTool("policy__calls_seen", Json.object()));
        List<String> calls = new ArrayList<>();
        Json.parse(seen).forEach(c -> calls.add(c.asText()));
        return calls;
    }

    private static void assertUpstreamNeverSaw(String needle) {
        assertThat(callsSeen()).as("calls the policy upstream received").noneMatch(c -> c.contains(needle));
    }

    private static void assertUpstreamSaw(String needle) {
        assertThat(callsSeen()).as("calls the policy upstream received").anyMatch(c -> c.contains(needle));
    }

    /** The audit records a query finds (the owner reads them; the query flushes pending records). */
    private static List<JsonNode> audit(String query) {
        HttpResponse<String> r = owner().get("/api/v1/audit?" + query);
        assertThat(r.statusCode()).as("audit query %s: %s", query, r.body()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        Http.json(r).forEach(records::add);
        return records;
    }

    /** An API key the owner created, with its secret (shown once). */
    private record IssuedKey(String id, String secret, JsonNode answer) {
        JsonNode view() {
            return answer.path("key");
        }
    }

    private static ObjectNode keyBody(String name, String role, String owner) {
        return Json.object().put("name", name).put("role", role).put("owner", owner).put("expiresInDays", 1);
    }

    private static IssuedKey createKey(ObjectNode body) {
        HttpResponse<String> r = postJson(owner(), "/api/v1/api-keys", body);
        assertThat(r.statusCode()).as("creating a key: %s", r.body()).isEqualTo(201);
        JsonNode answer = Http.json(r);
        String secret = answer.path("secret").asText();
        assertThat(secret).startsWith("sk-sluice-");
        SECRETS.put("API key '" + body.path("name").asText() + "'", secret);
        return new IssuedKey(answer.path("key").path("id").asText(), secret, answer);
    }

    // ------------------------------------------------------------------------------------- groups

    @Nested
    @Order(1)
    class Authentication {
        @Test
        void mcpWithoutCredentialsIsChallengedTowardsTheMcpResourceMetadata() {
            assertMcpUnauthenticated(mcpInitialize(anonymous()), null);
        }

        @Test
        void restWithoutCredentialsIsChallengedTowardsTheBareMetadataUrl() {
            assertRestUnauthenticated(anonymous().get("/api/v1/tools"), null);
        }

        @Test
        void theChallengeLeadsToTheProtectedResourceMetadata() {
            Matcher url = Pattern.compile("resource_metadata=\"([^\"]+)\"")
                    .matcher(challenge(mcpInitialize(anonymous())));
            assertThat(url.find()).isTrue();
            assertThat(url.group(1)).isEqualTo(METADATA_MCP);
            HttpResponse<String> r = anonymous().get(url.group(1).substring(BASE.length()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("json");
            JsonNode metadata = Http.json(r);
            assertThat(metadata.path("resource").asText()).isEqualTo(BASE + "/mcp");
            assertThat(metadata.path("authorization_servers").toString()).isEqualTo("[\"" + TestTokens.ISSUER + "\"]");
            assertThat(metadata.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        }

        @Test
        void aValidRs256TokenIsAccepted() {
            assertAcceptedEverywhere(as(idp.rs256(idp.claims(subject("rs256-user"), "analyst"))));
        }

        @Test
        void aValidEs256TokenIsAccepted() {
            assertAcceptedEverywhere(as(idp.es256(idp.claims(subject("es256-user"), "analyst"))));
        }

        @Test
        void somethingThatIsNoJwtIsRefusedAsMalformed() {
            assertRefusedEverywhere(as("this-is-not-a-token"), "malformed");
        }

        @Test
        void anExpiredTokenIsRefused() {
            assertRefusedEverywhere(as(idp.rs256(idp.claims(subject("late"), "analyst")
                    .issueTime(TestTokens.ago(Duration.ofHours(2)))
                    .expirationTime(TestTokens.ago(Duration.ofHours(1))))), "expired");
        }

        @Test
        void aTokenNotValidYetIsRefused() {
            assertRefusedEverywhere(as(idp.rs256(idp.claims(subject("early"), "analyst")
                    .notBeforeTime(TestTokens.fromNow(Duration.ofMinutes(30))))), "not-yet-valid");
        }

        @Test
        void aTokenFromAnotherIssuerIsRefused() {
            assertRefusedEverywhere(as(idp.rs256(idp.claims(subject("elsewhere"), "owner")
                    .issuer("https://idp.other.example"))), "issuer");
        }

        @Test
        void aTokenForAnotherAudienceIsRefused() {
            assertRefusedEverywhere(as(idp.rs256(idp.claims(subject("misdirected"), "owner")
                    .audience("another-service"))), "audience");
        }

        @Test
        void aTokenSignedByAnotherKeyIsRefused() {
            assertRefusedEverywhere(as(idp.signedByStranger(idp.claims(subject("forger"), "owner"))), "signature");
        }

        @Test
        void anUnsignedTokenIsRefused() {
            assertRefusedEverywhere(as(idp.unsigned(idp.claims(subject("unsigned"), "owner"))), "unsigned");
        }

        @Test
        void anHs256TokenSignedWithThePublicKeyIsRefused() {
            assertRefusedEverywhere(as(idp.hs256WithPublicKey(idp.claims(subject("confused"), "owner"))), "algorithm");
        }

        @Test
        void aTokenIssuedMoreThanEightHoursAgoIsRefused() {
            assertRefusedEverywhere(as(idp.rs256(idp.claims(subject("stale"), "analyst")
                    .issueTime(TestTokens.ago(Duration.ofHours(9))))), "too-old");
        }

        @Test
        void aRefusedCredentialIsAuditedAsAnAuthenticationThatFailed() {
            String path = "/api/v1/probe-" + marker();
            String expired = idp.rs256(idp.claims(subject("audited-late"), "analyst")
                    .issueTime(TestTokens.ago(Duration.ofHours(2)))
                    .expirationTime(TestTokens.ago(Duration.ofHours(1))));
            assertRestUnauthenticated(as(expired).get(path), "expired");
            List<JsonNode> records = audit("action=authenticate&outcome=unauthenticated&limit=1000");
            assertThat(records).anySatisfy(record -> {
                assertThat(record.path("target").asText()).isEqualTo(path);
                assertThat(record.path("action").asText()).isEqualTo("authenticate");
                assertThat(record.path("outcome").asText()).isEqualTo("unauthenticated");
                assertThat(record.path("errorType").asText()).isEqualTo("expired");
                assertThat(record.path("channel").asText()).isEqualTo("rest");
                assertThat(record.toString()).doesNotContain(expired);
            });
        }
    }

    @Nested
    @Order(2)
    class ApiKeys {
        @Test
        void aKeyIsShownOnceAndWorksAsABearerAndAsXApiKey() {
            IssuedKey key = createKey(keyBody("shown-once-" + RUN, "analyst", "machine-" + RUN));
            assertThat(key.view().path("status").asText()).isEqualTo("active");
            assertThat(key.view().path("role").asText()).isEqualTo("analyst");
            assertThat(key.view().path("owner").asText()).isEqualTo("machine-" + RUN);
            assertThat(key.secret()).startsWith(key.view().path("prefix").asText());
            assertThat(key.answer().path("notice").asText()).isNotBlank();

            HttpResponse<String> one = owner().get("/api/v1/api-keys/" + key.id());
            assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
            assertThat(one.body()).contains(key.id()).doesNotContain(key.secret());
            HttpResponse<String> all = owner().get("/api/v1/api-keys");
            assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
            assertThat(all.body()).contains(key.id()).doesNotContain(key.secret());

            assertAcceptedEverywhere(as(key.secret()));
            HttpResponse<String> mcp = mcpInitializeWithApiKeyHeader(key.secret());
            assertThat(mcp.statusCode()).as("initialize with X-API-Key: %s", mcp.body()).isEqualTo(200);
            HttpResponse<String> rest = getWithApiKeyHeader(key.secret(), "/api/v1/tools");
            assertThat(rest.statusCode()).as("REST with X-API-Key: %s", rest.body()).isEqualTo(200);
        }

        @Test
        void onlyAdminsCreateKeys() {
            String analyst = token("key-maker", "analyst");
            problem(postJson(as(analyst), "/api/v1/api-keys", keyBody("not-allowed-" + RUN, "analyst", "x")),
                    403, "forbidden");
        }

        @Test
        void anUnknownKeyIsRefused() {
            String unknown = "sk-sluice-" + UUID.randomUUID().toString().replace("-", "")
                    + UUID.randomUUID().toString().replace("-", "");
            SECRETS.put("the unknown API key", unknown);
            assertRefusedEverywhere(as(unknown), "unknown-key");
            assertRestUnauthenticated(getWithApiKeyHeader(unknown, CHEAP), "unknown-key");
            assertMcpUnauthenticated(mcpInitializeWithApiKeyHeader(unknown), "unknown-key");
        }

        @Test
        void aRevokedKeyIsRefusedAtOnce() {
            IssuedKey key = createKey(keyBody("revoked-" + RUN, "analyst", "revoked-" + RUN));
            assertThat(as(key.secret()).get(CHEAP).statusCode()).isEqualTo(200);
            HttpResponse<String> revoked = owner().send(owner().request("/api/v1/api-keys/" + key.id()).DELETE());
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            assertThat(Http.json(revoked).path("status").asText()).isEqualTo("revoked");
            assertRefusedEverywhere(as(key.secret()), "revoked");
            assertRestUnauthenticated(getWithApiKeyHeader(key.secret(), CHEAP), "revoked");
        }

        @Test
        void aKeyStopsWorkingWhenItExpires() {
            Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
            IssuedKey key = createKey(Json.object().put("name", "short-lived-" + RUN).put("role", "analyst")
                    .put("owner", "short-lived-" + RUN).put("expiresAt", expiresAt.toString()));
            HttpResponse<String> before = as(key.secret()).get(CHEAP);
            assertThat(before.statusCode()).as("before it expires: %s", before.body()).isEqualTo(200);
            sleepUntil(expiresAt.plusMillis(700));
            assertRefusedEverywhere(as(key.secret()), "expired");
            assertRestUnauthenticated(getWithApiKeyHeader(key.secret(), CHEAP), "expired");
        }

        @Test
        void aRotatedKeyWorksDuringTheOverlapAndIsExpiredAfterIt() {
            IssuedKey old = createKey(keyBody("rotated-" + RUN, "analyst", "rotator-" + RUN));
            assertThat(as(old.secret()).get(CHEAP).statusCode()).isEqualTo(200);

            HttpResponse<String> rotate = postJson(owner(), "/api/v1/api-keys/" + old.id() + "/rotate",
                    Json.object().put("overlap", "PT3S"));
            Instant rotated = Instant.now();
            assertThat(rotate.statusCode()).as(rotate.body()).isEqualTo(201);
            JsonNode successor = Http.json(rotate);
            String secret = successor.path("secret").asText();
            SECRETS.put("the successor of API key 'rotated-" + RUN + "'", secret);
            assertThat(secret).startsWith("sk-sluice-").isNotEqualTo(old.secret());
            assertThat(successor.path("key").path("rotatedFromId").asText()).isEqualTo(old.id());

            HttpResponse<String> oldDuringOverlap = as(old.secret()).get(CHEAP);
            assertThat(oldDuringOverlap.statusCode()).as("old key during the overlap: %s", oldDuringOverlap.body())
                    .isEqualTo(200);
            assertThat(as(secret).get(CHEAP).statusCode()).isEqualTo(200);
            JsonNode oldView = Http.json(owner().get("/api/v1/api-keys/" + old.id()));
            assertThat(oldView.path("status").asText()).as("%s", oldView).isEqualTo("rotating");
            assertThat(oldView.path("overlapUntil").asText("")).as("%s", oldView).isNotBlank();

            sleepUntil(rotated.plusSeconds(3).plusMillis(700));
            assertRefusedEverywhere(as(old.secret()), "expired");
            assertAcceptedEverywhere(as(secret));
            assertThat(Http.json(owner().get("/api/v1/api-keys/" + old.id())).path("status").asText())
                    .isEqualTo("expired");
        }
    }

    /**
     * The attacks on key issuance (issue 21, finding 1): each tries to come out of an API path with a
     * credential above the one it went in with, and must fail with the owner still able to work.
     */
    @Nested
    @Order(2)
    class KeyEscalation {
        /** The id of the bootstrap owner key, and its subject. */
        private JsonNode ownerKey() {
            JsonNode me = Http.json(owner().get("/api/v1/me"));
            String subject = me.path("subject").asText();
            JsonNode keys = Http.json(owner().get("/api/v1/api-keys"));
            for (JsonNode k : keys) {
                if (k.path("owner").asText().equals(subject) && k.path("role").asText().equals("owner")
                        && k.path("status").asText().equals("active")) {
                    return k;
                }
            }
            throw new AssertionError("no active owner key of " + subject + " in " + keys);
        }

        @Test
        void aViewerKeyOfTheOwnersSubjectCannotRotateOrRevokeTheOwnersKey() {
            JsonNode ownerKey = ownerKey();
            ObjectNode body = Json.object().put("name", "viewer-of-root-" + RUN).put("role", "viewer").put("expiresInDays", 1);
            IssuedKey viewer = createKey(body); // owner defaults to the creator: the owner's own subject
            assertThat(viewer.view().path("owner").asText()).isEqualTo(ownerKey.path("owner").asText());

            HttpResponse<String> rotate = postJson(as(viewer.secret()), "/api/v1/api-keys/" + ownerKey.path("id").asText()
                    + "/rotate", Json.object().put("overlap", "PT0S"));
            assertThat(problem(rotate, 403, "forbidden").path("detail").asText()).contains("owner");
            assertThat(rotate.body()).doesNotContain("sk-sluice-");
            HttpResponse<String> revoke = as(viewer.secret()).send(as(viewer.secret())
                    .request("/api/v1/api-keys/" + ownerKey.path("id").asText()).DELETE());
            problem(revoke, 403, "forbidden");
            assertThat(owner().get(CHEAP).statusCode()).as("the owner still works").isEqualTo(200);
            assertThat(Http.json(owner().get("/api/v1/api-keys/" + ownerKey.path("id").asText())).path("status").asText())
                    .isEqualTo("active");
        }

        @Test
        void anAdminCannotRotateTheOwnersKeyMintAnOwnerOrActInAnotherName() {
            String ownerKeyId = ownerKey().path("id").asText();
            IssuedKey admin = createKey(keyBody("admin-" + RUN, "admin", "admin-" + RUN));
            Http asAdmin = as(admin.secret());
            problem(postJson(asAdmin, "/api/v1/api-keys/" + ownerKeyId + "/rotate", Json.object().put("overlap", "PT0S")),
                    403, "forbidden");
            problem(asAdmin.send(asAdmin.request("/api/v1/api-keys/" + ownerKeyId).DELETE()), 403, "forbidden");
            problem(postJson(asAdmin, "/api/v1/api-keys", keyBody("owner-by-admin-" + RUN, "owner", "admin-" + RUN)),
                    403, "forbidden");
            JsonNode other = problem(postJson(asAdmin, "/api/v1/api-keys", keyBody("in-another-name-" + RUN, "viewer",
                    ownerKey().path("owner").asText())), 403, "forbidden");
            assertThat(other.path("detail").asText()).contains("another subject");
            // what an admin may do still works: a key of its own, at most its own role
            HttpResponse<String> own = postJson(asAdmin, "/api/v1/api-keys", Json.object().put("name", "admins-own-" + RUN)
                    .put("role", "admin").put("expiresInDays", 1));
            assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
            SECRETS.put("API key 'admins-own-" + RUN + "'", Http.json(own).path("secret").asText());
            assertThat(owner().get(CHEAP).statusCode()).isEqualTo(200);
        }

        @Test
        void aScopedKeyCannotMintAnUnscopedOrWiderKey() {
            ObjectNode body = keyBody("scoped-admin-" + RUN, "admin", "scoped-admin-" + RUN);
            body.putArray("toolScope").add("policy/peek");
            Http scoped = as(createKey(body).secret());
            problem(postJson(scoped, "/api/v1/api-keys", Json.object().put("name", "unscoped-" + RUN).put("role", "viewer")
                    .put("expiresInDays", 1)), 403, "forbidden");
            ObjectNode wider = Json.object().put("name", "wider-" + RUN).put("role", "viewer").put("expiresInDays", 1);
            wider.putArray("toolScope").add("policy/*");
            problem(postJson(scoped, "/api/v1/api-keys", wider), 403, "forbidden");
            ObjectNode same = Json.object().put("name", "same-scope-" + RUN).put("role", "viewer").put("expiresInDays", 1);
            same.putArray("toolScope").add("policy/peek");
            HttpResponse<String> ok = postJson(scoped, "/api/v1/api-keys", same);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            SECRETS.put("API key 'same-scope-" + RUN + "'", Http.json(ok).path("secret").asText());
        }

        @Test
        void theLastOwnerKeyCannotBeRevokedButItsRotationLeavesAWorkingSuccessor() {
            JsonNode ownerKey = ownerKey();
            HttpResponse<String> revoke = owner().send(owner().request("/api/v1/api-keys/" + ownerKey.path("id").asText())
                    .DELETE());
            assertThat(problem(revoke, 409, "conflict").path("detail").asText()).contains("last working owner key");
            assertThat(owner().get(CHEAP).statusCode()).isEqualTo(200);
        }

        @Test
        void aKeyScopedToOneToolReachesNoResourceOrPromptOfTheServer() {
            McpSessionClient ownerSession = ownerSession();
            String uri = null;
            for (JsonNode r : ownerSession.request("resources/list", null).path("result").path("resources")) {
                if (r.path("name").asText().contains("secret-note")) {
                    uri = r.path("uri").asText();
                }
            }
            assertThat(uri).as("the policy upstream's resource, listed to the owner").isNotNull();
            String prompt = null;
            for (JsonNode p : ownerSession.request("prompts/list", null).path("result").path("prompts")) {
                if (p.path("name").asText().contains("secret_prompt")) {
                    prompt = p.path("name").asText();
                }
            }
            assertThat(prompt).isNotNull();

            ObjectNode body = keyBody("peek-only-resources-" + RUN, "engineer", "scoped-reader-" + RUN);
            body.putArray("toolScope").add("policy/peek");
            McpSessionClient scoped = session(as(createKey(body).secret()));
            assertThat(scoped.request("resources/list", null).path("result").path("resources").toString())
                    .doesNotContain("secret-note");
            assertThat(scoped.request("prompts/list", null).path("result").path("prompts").toString())
                    .doesNotContain("secret_prompt");
            rpcError(scoped.request("resources/read", Json.object().put("uri", uri)), -32011, "forbidden");
            rpcError(scoped.request("prompts/get", Json.object().put("name", prompt)), -32011, "forbidden");
            ObjectNode complete = Json.object();
            complete.putObject("ref").put("type", "ref/prompt").put("name", prompt);
            complete.putObject("argument").put("name", "x").put("value", "");
            assertThat(scoped.request("completion/complete", complete).has("result")).as("completion of a prompt outside "
                    + "the scope").isFalse();
            assertUpstreamNeverSaw("resource policy://");
            assertUpstreamNeverSaw("prompt secret_prompt");
        }
    }

    @Nested
    @Order(3)
    class Roles {
        @Test
        void aViewerSeesNoToolAndMayCallNone() {
            McpSessionClient viewer = session(as(token("viewer", "viewer")));
            assertThat(visibleTools(viewer)).isEmpty();
            rpcError(viewer.callTool("policy__peek", Json.object()), -32011, "forbidden");
        }

        @Test
        void anAnalystSeesExactlyTheReadTools() {
            assertThat(visibleTools(session(as(token("analyst", "analyst")))))
                    .containsExactlyInAnyOrderElementsOf(READ_TOOLS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"engineer", "admin", "owner"})
        void engineersAndAboveSeeEveryTool(String role) {
            assertThat(visibleTools(session(as(token(role, role))))).containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
        }

        @Test
        void theHighestRoleNamedInTheGroupsCounts() {
            assertThat(visibleTools(session(as(token("many-hats", "viewer", "staff", "engineer", "analyst")))))
                    .containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
        }

        @Test
        void theRestToolListShowsEachCallableToolWithItsMode() {
            Map<String, String> analyst = restToolModes(as(token("rest-analyst", "analyst")));
            assertThat(analyst.keySet()).containsExactlyInAnyOrderElementsOf(READ_TOOLS);
            assertThat(analyst.values()).containsOnly("read");
            Map<String, String> engineer = restToolModes(as(token("rest-engineer", "engineer")));
            assertThat(engineer.keySet()).containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
            WRITE_TOOLS.forEach(t -> assertThat(engineer.get(t)).as(t).isEqualTo("write"));
            READ_TOOLS.forEach(t -> assertThat(engineer.get(t)).as(t).isEqualTo("read"));
        }

        @Test
        void anAnalystMayNotCallAWriteToolAndTheUpstreamNeverSeesTheCall() {
            String subject = subject("denied-analyst");
            Http analyst = as(idp.rs256(subject, "analyst"));
            String marker = marker();

            ObjectNode arguments = Json.object().put("table", marker + "_mcp");
            arguments.putObject("values").put("a", 1);
            JsonNode mcp = session(analyst).callTool("policy__write_row", arguments);
            assertThat(rpcError(mcp, -32011, "forbidden").path("message").asText()).contains("write_row");
            problem(restCall(analyst, "policy", "write_row", Json.object().put("table", marker + "_rest")),
                    403, "forbidden");

            assertUpstreamNeverSaw(marker);
            List<JsonNode> denied = audit("outcome=denied&subject=" + enc(subject) + "&limit=50");
            assertThat(denied).isNotEmpty().allSatisfy(record -> {
                assertThat(record.path("subject").asText()).isEqualTo(subject);
                assertThat(record.path("role").asText()).isEqualTo("analyst");
                assertThat(record.path("action").asText()).isEqualTo("tools/call");
                assertThat(record.path("server").asText()).isEqualTo("policy");
                assertThat(record.path("target").asText()).isEqualTo("write_row");
                assertThat(record.path("outcome").asText()).isEqualTo("denied");
                assertThat(record.path("errorType").asText()).isEqualTo("forbidden");
            });
            assertThat(denied).extracting(r -> r.path("channel").asText()).contains("mcp", "rest");
        }

        @Test
        void aContractorIsDeniedThePolicyServerWhateverTheirRole() {
            Http contractor = as(token("contractor", "engineer", "contractors"));
            McpSessionClient session = session(contractor);
            Set<String> tools = visibleTools(session);
            assertThat(tools).noneMatch(t -> t.startsWith("policy__"));
            assertThat(tools).as("the rule is the policy server's; the role still counts elsewhere")
                    .contains("postgres__query");
            String marker = marker();
            JsonNode answer = session.callTool("policy__run_query",
                    Json.object().put("sql", "SELECT '" + marker + "'"));
            assertThat(rpcError(answer, -32011, "forbidden").path("message").asText()).contains("policy");
            problem(restCall(contractor, "policy", "peek", Json.object()), 403, "forbidden");
            assertUpstreamNeverSaw(marker);
        }

        @Test
        void aKeyWithAToolScopeSeesAndCallsOnlyThatTool() {
            ObjectNode body = keyBody("peek-only-" + RUN, "engineer", "scoped-bot-" + RUN);
            body.putArray("toolScope").add("policy/peek");
            IssuedKey key = createKey(body);
            McpSessionClient session = session(as(key.secret()));
            assertThat(visibleTools(session)).containsExactly("policy__peek");
            assertThat(restToolModes(as(key.secret())).keySet()).containsExactly("policy__peek");
            assertThat(text(session.callTool("policy__peek", Json.object()))).isEqualTo("peeked");

            String marker = marker();
            rpcError(session.callTool("policy__run_query", Json.object().put("sql", "SELECT '" + marker + "'")),
                    -32011, "forbidden");
            rpcError(session.callTool("policy__write_row", Json.object().put("table", marker)), -32011, "forbidden");
            assertUpstreamNeverSaw(marker);
        }

        @Test
        void onlyAdminsReadTheAuditTrail() {
            problem(as(token("curious-analyst", "analyst")).get("/api/v1/audit?limit=1"), 403, "forbidden");
            HttpResponse<String> admin = as(token("auditor", "admin")).get("/api/v1/audit?limit=1");
            assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        }
    }

    @Nested
    @Order(4)
    class Validation {
        private final McpSessionClient analyst = session(as(token("validated-analyst", "analyst")));

        private JsonNode invalid(JsonNode answer, String field, String keyword) {
            JsonNode error = rpcError(answer, -32602, "invalid-arguments");
            assertThat(error.path("message").asText()).contains("'" + field + "'");
            assertThat(error.path("data").path("errors")).as("errors in %s", answer).anySatisfy(e -> {
                assertThat(e.path("field").asText()).isEqualTo(field);
                assertThat(e.path("keyword").asText()).isEqualTo(keyword);
                assertThat(e.path("message").asText()).isNotBlank();
            });
            return error;
        }

        @Test
        void aValueOfTheWrongTypeIsRefusedNamingTheField() {
            int times = mark();
            invalid(analyst.callTool("policy__strict_echo", Json.object().put("message", 5).put("times", times)),
                    "message", "type");
            assertUpstreamNeverSaw("\"times\":" + times);
        }

        @Test
        void aMissingRequiredFieldIsRefusedNamingIt() {
            int times = mark();
            invalid(analyst.callTool("policy__strict_echo", Json.object().put("times", times)), "message", "required");
            assertUpstreamNeverSaw("\"times\":" + times);
        }

        @Test
        void aFieldTheSchemaDoesNotAllowIsRefusedNamingIt() {
            String marker = marker();
            invalid(analyst.callTool("policy__strict_echo", Json.object().put("message", marker).put("colour", "red")),
                    "colour", "additionalProperties");
            assertUpstreamNeverSaw(marker);
        }

        @Test
        void restRefusesInvalidArgumentsWith400NamingTheField() {
            int times = mark();
            JsonNode problem = problem(restCall(as(token("validated-analyst", "analyst")), "policy", "strict_echo",
                    Json.object().put("message", 6).put("times", times)), 400, "invalid-arguments");
            assertThat(problem.path("detail").asText()).contains("'message'");
            // the failing fields are machine-readable too, as an extension member of the problem
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("message");
            assertUpstreamNeverSaw("\"times\":" + times);
        }

        @Test
        void aDraft07SchemaIsEnforcedToo() {
            String marker = marker();
            invalid(analyst.callTool("policy__legacy_echo", Json.object().put("message", marker + "-far-over-twenty")),
                    "message", "maxLength");
            assertUpstreamNeverSaw(marker);
        }

        @Test
        void validArgumentsPassAndReachTheUpstream() {
            String strict = marker();
            JsonNode echoed = analyst.callTool("policy__strict_echo",
                    Json.object().put("message", strict).put("times", 2));
            assertThat(text(echoed)).isEqualTo(strict + strict);
            String legacy = marker();
            assertThat(legacy).hasSizeLessThanOrEqualTo(20);
            assertThat(text(analyst.callTool("policy__legacy_echo", Json.object().put("message", legacy))))
                    .isEqualTo(legacy);
            assertUpstreamSaw(strict);
            assertUpstreamSaw(legacy);
        }
    }

    @Nested
    @Order(5)
    class Sql {
        private final String subject = subject("sql-analyst");
        private final McpSessionClient analyst = session(as(idp.rs256(subject, "analyst")));

        /** Sends SQL to the policy fixture's run_query and checks the refusal. */
        private void refused(String sql, String reason) {
            JsonNode error = rpcError(analyst.callTool("policy__run_query", Json.object().put("sql", sql)),
                    -32602, "sql-refused");
            assertThat(error.path("data").path("field").asText()).isEqualTo("sql");
            assertThat(error.path("data").path("reason").asText()).as("reason for %s", sql).isEqualTo(reason);
            assertThat(error.path("message").asText()).contains("'sql'");
        }

        @Test
        void aSelectPasses() {
            String sql = "SELECT id, name FROM t_" + marker() + " WHERE id = 1";
            assertThat(text(analyst.callTool("policy__run_query", Json.object().put("sql", sql)))).isEqualTo(sql);
            assertUpstreamSaw(sql);
        }

        @Test
        void dropTableIsRefusedAndAuditedAsInvalid() {
            String table = "t_" + marker();
            refused("DROP TABLE " + table, "denied-statement");
            assertUpstreamNeverSaw(table);
            assertThat(audit("outcome=invalid&subject=" + enc(subject) + "&limit=100")).anySatisfy(record -> {
                assertThat(record.path("target").asText()).isEqualTo("run_query");
                assertThat(record.path("errorType").asText()).isEqualTo("sql-refused");
            });
        }

        @Test
        void deleteIsRefusedByAReadTool() {
            String table = "t_" + marker();
            refused("DELETE FROM " + table + " WHERE id = 1", "not-read-only");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void updateIsRefusedByAReadTool() {
            String table = "t_" + marker();
            refused("UPDATE " + table + " SET name = 'x' WHERE id = 1", "not-read-only");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void aSecondStatementIsRefused() {
            String table = "t_" + marker();
            refused("SELECT 1; DROP TABLE " + table, "multiple-statements");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void aStatementHiddenAfterALineCommentIsRefused() {
            String table = "t_" + marker();
            refused("SELECT 1; -- hidden\nDELETE FROM " + table, "multiple-statements");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void aDataChangingWithIsRefused() {
            String table = "t_" + marker();
            refused("WITH gone AS (DELETE FROM " + table + " RETURNING *) SELECT * FROM gone", "not-read-only");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void aParseErrorOnRestIs400NamingTheArgument() {
            String table = "t_" + marker();
            JsonNode problem = problem(restCall(as(idp.rs256(subject, "analyst")), "policy", "run_query",
                    Json.object().put("sql", "SELEC * FROM " + table)), 400, "sql-refused");
            assertThat(problem.path("detail").asText()).contains("'sql'");
            assertUpstreamNeverSaw(table);
        }

        @Test
        void realPostgresqlAnswersAQuery() {
            String result = text(analyst.callTool("postgres__query", Json.object().put("sql", "SELECT 1 AS one")));
            assertThat(result).contains("one").contains("1");
        }

        @Test
        void realPostgresqlIsNeverSentADrop() {
            JsonNode error = rpcError(analyst.callTool("postgres__query",
                    Json.object().put("sql", "DROP TABLE IF EXISTS nothing_here")), -32602, "sql-refused");
            assertThat(error.path("data").path("reason").asText()).isEqualTo("denied-statement");
            assertThat(error.path("data").path("field").asText()).isEqualTo("sql");
        }
    }

    @Nested
    @Order(6)
    class CommandArguments {
        private final Http engineerHttp = as(token("builder", "engineer"));
        private final McpSessionClient engineer = session(engineerHttp);

        private String seenAs(String target) {
            return "run_command " + Json.write(Json.object().put("target", target));
        }

        /** Refused on MCP and on REST, and never passed on. */
        private void refused(String target) {
            JsonNode error = rpcError(engineer.callTool("policy__run_command", Json.object().put("target", target)),
                    -32602, "command-argument-refused");
            assertThat(error.path("data").path("field").asText()).isEqualTo("target");
            assertThat(error.path("message").asText()).contains("'target'");
            JsonNode problem = problem(restCall(engineerHttp, "policy", "run_command",
                    Json.object().put("target", target)), 400, "command-argument-refused");
            assertThat(problem.path("detail").asText()).contains("'target'");
            assertUpstreamNeverSaw(seenAs(target));
        }

        @Test
        void aPlainWordPasses() {
            assertThat(text(engineer.callTool("policy__run_command", Json.object().put("target", "build"))))
                    .isEqualTo("ran build");
            assertUpstreamSaw(seenAs("build"));
        }

        @Test
        void aShellCommandAppendedWithASemicolonIsRefused() {
            refused("build; rm -rf /");
        }

        @Test
        void aLeadingDashIsRefused() {
            refused("-rf");
        }

        @ParameterizedTest
        @ValueSource(strings = {"build && curl http://evil.example", "$(id)", "`id`", "build | sh", "build\nrm -rf /"})
        void otherShellTricksAreRefused(String target) {
            refused(target);
        }
    }

    /** Runs last: its final test scans for every credential the whole class used. */
    @Nested
    @Order(7)
    class AuditTrail {
        private final String who = "auditee-" + mark();
        private final McpSessionClient analyst = session(as(token(who, "analyst")));

        /** Three calls the analyst may make and one it may not: four records of one subject. */
        private void fourCalls() {
            for (int i = 0; i < 3; i++) {
                assertThat(analyst.callTool("policy__strict_echo", Json.object().put("message", "audited " + i))
                        .has("result")).isTrue();
            }
            rpcError(analyst.callTool("policy__write_row", Json.object().put("table", "t")), -32011, "forbidden");
        }

        @Test
        void filtersBySubjectToolOutcomeAndTime() {
            fourCalls();
            String subject = "subject=" + subject(who);

            List<JsonNode> all = audit(subject);
            assertThat(all).hasSize(4);
            assertThat(all.get(0).path("target").asText()).as("newest first").isEqualTo("write_row");
            assertThat(audit(subject + "&outcome=denied")).singleElement()
                    .satisfies(r -> assertThat(r.path("errorType").asText()).isEqualTo("forbidden"));
            assertThat(audit(subject + "&tool=strict_echo")).hasSize(3);
            assertThat(audit(subject + "&server=policy&outcome=ok")).hasSize(3);
            assertThat(audit(subject + "&until=2000-01-01T00:00:00Z")).isEmpty();
            assertThat(audit(subject + "&since=" + all.get(3).path("occurredAt").asText())).hasSize(4);
            problem(owner().get("/api/v1/audit?until=yesterday"), 400, "invalid-params");
        }

        @Test
        void pagesFollowTheLinkHeader() {
            fourCalls();
            HttpResponse<String> first = owner().get("/api/v1/audit?subject=" + subject(who) + "&limit=3");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(Http.json(first).size()).isEqualTo(3);
            String link = first.headers().firstValue("Link").orElseThrow(() -> new AssertionError("no Link header"));
            assertThat(link).contains("rel=\"next\"").contains("cursor=");
            String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            HttpResponse<String> second = owner().get(next.substring(next.indexOf("/api/")));
            assertThat(Http.json(second).size()).as(second.body()).isEqualTo(1);
            assertThat(second.headers().firstValue("Link")).as("the last page").isEmpty();
            java.util.Set<String> ids = new java.util.HashSet<>();
            Http.json(first).forEach(r -> ids.add(r.path("requestId").asText() + r.path("target").asText()
                    + r.path("occurredAt").asText()));
            Http.json(second).forEach(r -> ids.add(r.path("requestId").asText() + r.path("target").asText()
                    + r.path("occurredAt").asText()));
            assertThat(ids).as("no record on two pages").hasSize(4);

            problem(owner().get("/api/v1/audit?cursor=not-a-cursor"), 400, "invalid-params");
        }

        @Test
        void exportsCsvForAdminsOnly() {
            fourCalls();
            HttpResponse<String> csv = owner().send(owner().request("/api/v1/audit/export?subject=" + subject(who))
                    .header("Accept", "text/csv").GET());
            assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines.get(0)).startsWith("requestId,occurredAt,nodeId,subject,role,");
            assertThat(lines).hasSize(5);
            assertThat(lines.subList(1, 5)).allMatch(l -> l.contains(subject(who)) && l.contains("policy"));
            assertThat(lines.get(1)).contains("write_row", "denied", "forbidden");

            problem(as(token("curious-exporter", "analyst")).get("/api/v1/audit/export"), 403, "forbidden");
        }
    }

    @Nested
    @Order(99)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Secrets {
        @Test
        @Order(1)
        void anUpstreamErrorReachesTheClientWithoutTheSecretItQuotes() {
            Http engineer = as(token("secrets-engineer", "engineer"));
            JsonNode answer = session(engineer).callTool("policy__fail_loudly", Json.object());
            assertThat(answer.toString()).as("the upstream's failure is passed on").contains("connection refused");
            assertThat(answer.toString()).doesNotContain(PLANTED_SECRET).contains("[REDACTED]");

            HttpResponse<String> rest = restCall(engineer, "policy", "fail_loudly", Json.object());
            assertThat(rest.statusCode()).as(rest.body()).isGreaterThanOrEqualTo(400);
            assertThat(rest.body()).contains("connection refused").doesNotContain(PLANTED_SECRET);
        }

        @Test
        @Order(1)
        void aToolResultThatQuotesAnUpstreamCredentialIsMasked() {
            Http engineer = as(token("secrets-engineer", "engineer"));
            JsonNode answer = session(engineer).callTool("policy__show_env", Json.object());
            assertThat(answer.path("result").path("content").get(0).path("text").asText())
                    .isEqualTo("POLICY_SECRET=[REDACTED]");
            HttpResponse<String> rest = restCall(engineer, "policy", "show_env", Json.object());
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
            assertThat(rest.body()).contains("POLICY_SECRET=[REDACTED]").doesNotContain(PLANTED_SECRET);
        }

        @Test
        @Order(1)
        void aStdioUpstreamGetsAMinimalEnvironmentNotSluicesOwn() {
            Http engineer = as(token("secrets-engineer", "engineer"));
            JsonNode answer = session(engineer).callTool("policy__show_env", Json.object().put("names", true));
            Set<String> names = new TreeSet<>();
            Json.parse(text(answer)).forEach(n -> names.add(n.asText()));
            assertThat(names).as("the upstream's environment").contains("PATH", "POLICY_SECRET")
                    .doesNotContain("SLUICE_IT_POLICY_SECRET", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER",
                            "SLUICE_REGISTRY_CATALOG_FILE", "WLP_USER_DIR", "JAVA_HOME");
            Set<String> allowed = new TreeSet<>(Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
                    "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "SSL_CERT_FILE", "SSL_CERT_DIR",
                    "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "POLICY_SECRET"));
            assertThat(allowed).as("only inherited names and the entry's own").containsAll(names);
        }

        @Test
        @Order(2)
        void theAuditTrailKeepsArgumentsWithSecretsMasked() {
            IssuedKey quoted = createKey(keyBody("quoted-in-arguments-" + RUN, "viewer", "quoted-" + RUN));
            String subject = subject("secrets-writer");
            String table = "audit_probe_" + RUN;
            ObjectNode arguments = Json.object().put("table", table);
            arguments.putObject("values").put("password", PLANTED_PASSWORD).put("note", quoted.secret());
            assertThat(text(session(as(idp.rs256(subject, "engineer"))).callTool("policy__write_row", arguments)))
                    .isEqualTo("wrote " + table);

            List<JsonNode> records = audit("subject=" + enc(subject) + "&action=" + enc("tools/call") + "&limit=50");
            JsonNode record = records.stream().filter(r -> "write_row".equals(r.path("target").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no audit record of write_row by " + subject
                            + " in " + records));
            assertThat(record.path("outcome").asText()).isEqualTo("ok");
            assertThat(record.path("server").asText()).isEqualTo("policy");
            assertThat(record.path("argumentDigest").asText()).matches("[0-9a-f]{64}");
            String redacted = record.path("argumentsRedacted").asText();
            assertThat(redacted).contains(table).contains("[REDACTED]");
            assertThat(redacted).as("the redacted arguments").doesNotContain(PLANTED_PASSWORD);
            assertThat(redacted).as("the redacted arguments").doesNotContain(quoted.secret());
        }

        @Test
        @Order(3)
        void noCredentialOrPlantedSecretIsInTheLogsOrTheAuditTrail() throws IOException {
            pause(Duration.ofSeconds(1)); // let the log writer catch up; the audit query flushes by itself
            HttpResponse<String> trail = owner().get("/api/v1/audit?limit=1000");
            assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
            String audit = trail.body();
            assertThat(audit).as("the trail holds this run's calls and refusals")
                    .contains(subject("secrets-writer")).contains("\"authenticate\"");

            Path messages = sluice.messagesLog();
            assertThat(messages).exists();
            Map<Path, String> logs = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(messages.getParent())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    // ISO-8859-1 reads any bytes; every secret here is ASCII
                    logs.put(file, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }

            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("the planted upstream secret (POLICY_SECRET)", PLANTED_SECRET);
            secrets.put("the planted password argument", PLANTED_PASSWORD);
            secrets.put("the bootstrap owner key (TestKeys.OWNER)", TestKeys.OWNER);
            new TreeMap<>(SECRETS).forEach(secrets::put);
            List<String> tokens = idp.issued();
            for (int i = 0; i < tokens.size(); i++) {
                secrets.put("JWT #" + (i + 1) + " of " + tokens.size(), tokens.get(i));
            }
            assertThat(secrets.size()).as("credentials to look for").isGreaterThan(20);

            // report leaks by label only, so that the report does not spread them further
            List<String> leaks = new ArrayList<>();
            secrets.forEach((label, value) -> {
                if (audit.contains(value)) {
                    leaks.add(label + " in the audit trail");
                }
                logs.forEach((file, content) -> {
                    if (content.contains(value)) {
                        leaks.add(label + " in " + file);
                    }
                });
            });
            assertThat(leaks).as("secrets found in %s and the audit trail", logs.keySet()).isEmpty();
        }
    }
}
