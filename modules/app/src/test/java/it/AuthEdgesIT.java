package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.Stateless;
import it.support.TestKeys;
import it.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edges of authentication on a real node: chunked bodies over the limit, every spelling of the
 * MCP path, the failed-authentication throttle and its audit summaries, the JSON-RPC id of a
 * refusal, and JWT audience and role mapping without {@code mp.jwt.verify.audiences}.
 *
 * <p>The node has a small body limit and a low throttle. Every test that is refused credentials
 * sends from an address of its own (a random {@code 127.x.y.z}, raw sockets bound to it), so that
 * the throttle of one test never touches another, and the audit records of a test are found by it.
 */
class AuthEdgesIT {
    private static final int PORT = Integer.getInteger("sluice.it.auth-edges.port", 9195);
    private static final int MAX_BODY = 65_536;
    private static final int FAILURE_LIMIT = 4;
    private static final Duration FAILURE_WINDOW = Duration.ofSeconds(20);
    private static final String PROBLEMS = "https://sluice.dev/problems/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static TestTokens idp;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        idp = TestTokens.generate();
        Path jwks = idp.writeJwks(Gateway.tmp().resolve("auth-edges-jwks.json"));
        Map<String, String> env = new HashMap<>();
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwks.toString());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        // no MP_JWT_VERIFY_AUDIENCES: the audience must be the node's own resource URL
        env.put("SLUICE_SECURITY_JWT_ROLE_MAP", "sluice-admins=admin,data-team=engineer");
        env.put("SLUICE_SECURITY_MAX_BODY_BYTES", Integer.toString(MAX_BODY));
        env.put("SLUICE_SECURITY_AUTH_FAILURES_LIMIT", Integer.toString(FAILURE_LIMIT));
        env.put("SLUICE_SECURITY_AUTH_FAILURES_WINDOW", FAILURE_WINDOW.toString());
        env.put("SLUICE_SECURITY_AUTH_FAILURES_AUDITED", "1");
        sluice = Gateway.start("sluice-auth-edges", PORT, env);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    // ------------------------------------------------------------------------------- raw HTTP

    /** An answer read off a socket: status, headers (lower-case names) and body. */
    private record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return Http.json(body);
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** A loopback address no other test uses, so that its failures and audit records are its own. */
    private static String freshAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 255) + "." + r.nextInt(2, 255);
    }

    private static Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", PORT), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /**
     * Sends one request exactly as written (the request line's path is not normalised by any client
     * library) from {@code from} (null: any), with {@code Connection: close}, and reads the answer.
     */
    private static Raw raw(String from, String method, String rawPath, Map<String, String> headers, String body) {
        try (Socket socket = connect(from)) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(PORT).append("\r\n").append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("request " + method + " " + rawPath + " failed: " + e, e);
        }
    }

    private static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            all.write(buffer, 0, n);
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        byte[] rest = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
            rest = dechunk(rest);
        }
        return new Raw(status, headers, new String(rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < s.length()) {
            int eol = s.indexOf("\r\n", at);
            int size = Integer.parseInt(s.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** What became of a chunked body sent while the answer was awaited. */
    private record Flood(Raw answer, long sent, boolean cutOff) {
    }

    /**
     * POSTs a chunked body that starts with {@code prefix} and goes on with 'x' up to {@code total}
     * bytes, reading the answer while it is still being sent; reports how much was sent and whether
     * the node closed the connection before all of it was.
     */
    private static Flood chunked(String rawPath, Map<String, String> headers, String prefix, long total) throws Exception {
        try (Socket socket = connect(null)) {
            StringBuilder head = new StringBuilder("POST ").append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(PORT).append("\r\n").append("Transfer-Encoding: chunked\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
                byte[] filler = new byte[16 * 1024];
                java.util.Arrays.fill(filler, (byte) 'x');
                byte[] first = prefix.getBytes(StandardCharsets.UTF_8);
                try {
                    writeChunk(out, first, first.length);
                    sent.addAndGet(first.length);
                    while (sent.get() < total) {
                        writeChunk(out, filler, filler.length);
                        sent.addAndGet(filler.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return false; // everything went: the node read (or drained) it all
                } catch (IOException e) {
                    return true; // the node closed the connection
                }
            });
            Raw answer = read(socket.getInputStream());
            socket.shutdownInput();
            boolean cutOff;
            try {
                cutOff = writer.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                cutOff = true; // the node stopped reading: the writer is stuck on a full buffer
            }
            return new Flood(answer, sent.get(), cutOff);
        }
    }

    private static void writeChunk(OutputStream out, byte[] data, int length) throws IOException {
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data, 0, length);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Map<String, String> owner() {
        return Map.of("Authorization", TestKeys.bearer(TestKeys.OWNER));
    }

    private static Map<String, String> mcpHeaders(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        return h;
    }

    /** An invented API key, shaped like a real one, so the node would have to look it up. */
    private static String inventedKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sk-sluice-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<JsonNode> authenticationRecords(String address) {
        HttpResponse<String> r = sluice.http().get("/api/v1/audit?action=authenticate&limit=1000");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        Http.json(r).forEach(record -> {
            if (address.equals(record.path("clientAddress").asText())) {
                records.add(record);
            }
        });
        return records;
    }

    // ---------------------------------------------------------------------------------- tests

    @Nested
    class ChunkedBodies {
        /** Above the transport's cut-off (http.message.size.limit, 32 MiB by default), far above the body limit. */
        private static final long FLOOD = 128L * 1024 * 1024;

        @Test
        void aChunkedBodyOverTheLimitIsRefusedOnRestWithoutBeingReadToTheEnd() throws Exception {
            Flood f = chunked("/api/v1/servers/everything/tools/echo/call",
                    mcpHeaders(owner()), "{\"arguments\":{\"message\":\"", FLOOD);
            assertThat(f.answer().status()).as(f.answer().body()).isEqualTo(413);
            assertThat(f.answer().header("Content-Type")).startsWith("application/problem+json");
            assertThat(f.answer().json().path("type").asText()).isEqualTo(PROBLEMS + "payload-too-large");
            assertThat(f.cutOff()).as("the node closed the connection instead of reading %d bytes", FLOOD).isTrue();
            assertThat(f.sent()).as("bytes the node let in").isLessThan(FLOOD);
        }

        @Test
        void aChunkedBodyOverTheLimitIsRefusedWhereJsonBindingReadsIt() throws Exception {
            Flood f = chunked("/api/v1/api-keys", mcpHeaders(owner()), "{\"name\":\"", FLOOD);
            assertThat(f.answer().status()).as(f.answer().body()).isEqualTo(413);
            assertThat(f.answer().json().path("type").asText()).isEqualTo(PROBLEMS + "payload-too-large");
            assertThat(f.sent()).isLessThan(FLOOD);
        }

        @Test
        void aChunkedBodyOverTheLimitIsRefusedOnMcp() throws Exception {
            Flood f = chunked("/mcp", mcpHeaders(owner()),
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"initialize\",\"params\":{\"pad\":\"", FLOOD);
            assertThat(f.answer().status()).as(f.answer().body()).isEqualTo(413);
            JsonNode answer = f.answer().json();
            assertThat(answer.path("error").path("data").path("type").asText()).isEqualTo(PROBLEMS + "payload-too-large");
            assertThat(answer.get("id").isNull()).as("an unreadable body has no id: %s", answer).isTrue();
            assertThat(f.sent()).isLessThan(FLOOD);
        }

        @Test
        void aChunkedBodyWithinTheLimitStillWorks() throws Exception {
            Flood f = chunked("/mcp", mcpHeaders(owner()), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                    + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"auth-edges-it\",\"version\":\"1\"}}}", 0);
            assertThat(f.answer().status()).as(f.answer().body()).isEqualTo(200);
        }
    }

    @Nested
    class PathSpellings {
        @Test
        void everySpellingOfTheMcpEndpointNeedsCredentialsLikeMcp() {
            String discover = Json.write(Stateless.request(7, "server/discover", null, null));
            Map<String, String> headers = mcpHeaders(Map.of("MCP-Protocol-Version", Stateless.VERSION,
                    "Mcp-Method", "server/discover"));
            Raw plain = raw(null, "POST", "/mcp", headers, discover);
            assertThat(plain.status()).as(plain.body()).isEqualTo(401);
            for (String path : List.of("/%6Dcp", "/%6dcp", "/%6D%63%70", "//mcp", "/./mcp", "/mcp;x", "/MCP", "/Mcp",
                    "/api/../mcp", "/api/v1/../mcp", "/api/v1/../../mcp", "/x/%2e%2e/mcp")) {
                Raw r = raw(null, "POST", path, headers, discover);
                assertThat(r.body()).as("%s answered %d", path, r.status()).doesNotContain("\"result\"");
                // the container may refuse a spelling outright (400) before any application code runs;
                // whatever it routes needs credentials exactly like /mcp
                if (r.status() != 400) {
                    assertThat(r.status()).as("%s answered %s", path, r.body()).isEqualTo(401);
                    assertThat(r.header("WWW-Authenticate")).as(path).startsWith("Bearer resource_metadata=");
                }
            }
        }
    }

    @Nested
    class Throttle {
        @Test
        void anAddressWithTooManyFailuresWaitsAndTheFloodLeavesTwoAuditRecords() throws Exception {
            String from = freshAddress();
            for (int i = 0; i < FAILURE_LIMIT; i++) {
                Raw r = raw(from, "GET", "/api/v1/me", Map.of("Authorization", "Bearer " + inventedKey()), null);
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                assertThat(r.json().path("reason").asText()).isEqualTo("unknown-key");
            }
            // now even the owner's key from that address is not looked at
            Raw throttled = raw(from, "GET", "/api/v1/me", owner(), null);
            assertThat(throttled.status()).as(throttled.body()).isEqualTo(429);
            assertThat(throttled.json().path("type").asText()).isEqualTo(PROBLEMS + "rate-limited");
            assertThat(throttled.json().path("scope").asText()).isEqualTo("authentication");
            long retryAfter = Long.parseLong(throttled.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, FAILURE_WINDOW.toSeconds());
            // a flood from the address: answered 429, nothing looked up, nothing recorded one by one
            for (int i = 0; i < 40; i++) {
                assertThat(raw(from, "GET", "/api/v1/me", Map.of("Authorization", "Bearer " + inventedKey()), null)
                        .status()).isEqualTo(429);
            }
            // a refusal before dispatch on MCP carries the request's id
            Raw mcp = raw(from, "POST", "/mcp", mcpHeaders(Map.of("Authorization", "Bearer " + inventedKey())),
                    "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"initialize\",\"params\":{}}");
            assertThat(mcp.status()).isEqualTo(429);
            assertThat(mcp.json().path("id").asInt()).isEqualTo(99);
            // a request without a credential guesses nothing: 401 (with where to authenticate), not 429
            Raw bare = raw(from, "GET", "/api/v1/me", Map.of(), null);
            assertThat(bare.status()).as(bare.body()).isEqualTo(401);
            assertThat(bare.header("WWW-Authenticate")).startsWith("Bearer resource_metadata=");
            // other addresses are not affected
            assertThat(sluice.http().get("/api/v1/me").statusCode()).isEqualTo(200);

            // when the window is over: one record of the first failure, one summary of the rest
            Instant deadline = Instant.now().plus(FAILURE_WINDOW).plusSeconds(40);
            List<JsonNode> records = authenticationRecords(from);
            while (records.size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
                records = authenticationRecords(from);
            }
            assertThat(records).as("records of %s: %s", from, records).hasSize(2);
            assertThat(records).filteredOn(r -> r.path("errorType").asText().equals("unknown-key")).hasSize(1);
            List<JsonNode> found = records;
            JsonNode summary = found.stream().filter(r -> r.path("errorType").asText().equals("repeated-failures"))
                    .findFirst().orElseThrow(() -> new AssertionError("no summary in " + found));
            assertThat(summary.path("outcome").asText()).isEqualTo("unauthenticated");
            JsonNode arguments = summary.path("argumentsRedacted").isTextual()
                    ? Http.json(summary.path("argumentsRedacted").asText()) : summary.path("argumentsRedacted");
            assertThat(arguments.path("failures").asInt()).isEqualTo(FAILURE_LIMIT);
            assertThat(arguments.path("unrecorded").asInt()).isEqualTo(FAILURE_LIMIT - 1);
            assertThat(arguments.path("refusedUnread").asInt()).isEqualTo(1 + 40 + 1);
            // after the window the address may try again
            assertThat(raw(from, "GET", "/api/v1/me", owner(), null).status()).isEqualTo(200);
        }

        @Test
        void aValueThatCannotBeAKeyIsRefusedAsMalformed() {
            String from = freshAddress();
            Raw r = raw(from, "GET", "/api/v1/me", Map.of("X-API-Key", "sk-sluice-tooshort"), null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("reason").asText()).isEqualTo("malformed");
        }
    }

    @Nested
    class RefusalIds {
        private HttpResponse<String> post(String body) {
            Http anonymous = sluice.http().anonymous();
            return anonymous.send(new McpSessionClient(anonymous, "/mcp").post(body));
        }

        @Test
        void a401OnMcpAnswersTheRequestsOwnId() {
            HttpResponse<String> text = post("{\"jsonrpc\":\"2.0\",\"id\":\"req-17\",\"method\":\"initialize\",\"params\":{}}");
            assertThat(text.statusCode()).isEqualTo(401);
            assertThat(Http.json(text).path("id").asText()).isEqualTo("req-17");
            HttpResponse<String> number = post("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/list\"}");
            assertThat(number.statusCode()).isEqualTo(401);
            assertThat(Http.json(number).path("id").isIntegralNumber()).isTrue();
            assertThat(Http.json(number).path("id").asInt()).isEqualTo(41);
        }

        @Test
        void anUnreadableBodyGivesANullId() {
            HttpResponse<String> r = post("this is not json");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Http.json(r).get("id").isNull()).isTrue();
            HttpResponse<String> big = post("{\"params\":\"" + "x".repeat(2 * MAX_BODY) + "\",\"id\":3}");
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(Http.json(big).get("id").isNull()).isTrue();
        }
    }

    @Nested
    class Tokens {
        private final String resource = "http://localhost:" + PORT + "/mcp";

        private Raw me(String token) {
            return raw(freshAddress(), "GET", "/api/v1/me", Map.of("Authorization", "Bearer " + token), null);
        }

        private JWTClaimsSet.Builder claims(String subject, String... groups) {
            return idp.claims(subject, groups).audience(resource);
        }

        @Test
        void aTokenForThisResourceIsAcceptedAndItsMappedGroupGivesTheRole() {
            Raw admin = me(idp.rs256(claims("mapped-admin", "sluice-admins")));
            assertThat(admin.status()).as(admin.body()).isEqualTo(200);
            assertThat(admin.json().path("role").asText()).isEqualTo("admin");
            Raw engineer = me(idp.rs256(claims("mapped-engineer", "data-team", "unmapped")));
            assertThat(engineer.json().path("role").asText()).isEqualTo("engineer");
        }

        @Test
        void aGroupCalledAdminIsNotTheAdminRoleUnlessMapped() {
            Raw r = me(idp.rs256(claims("named-admin", "admin", "owner")));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("role").asText()).isEqualTo("viewer");
        }

        @Test
        void aTokenForAnotherAudienceOrForNoneIsRefused() {
            for (JWTClaimsSet.Builder c : List.of(claims("elsewhere", "sluice-admins").audience("sluice"),
                    claims("elsewhere", "sluice-admins").audience("http://other.example/mcp"),
                    claims("nowhere", "sluice-admins").audience((String) null))) {
                Raw r = me(idp.rs256(c));
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                assertThat(r.json().path("reason").asText()).isEqualTo("audience");
            }
        }

        @Test
        void theMetadataAdvertisesTheResourceTokensMustBeFor() {
            HttpResponse<String> r = sluice.http().anonymous().get("/.well-known/oauth-protected-resource");
            assertThat(Http.json(r).path("resource").asText()).isEqualTo(resource);
        }
    }
}
