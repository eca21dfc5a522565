package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Virtual servers serve their subset only; the catalog reloads without a restart and clients are told. */
class VirtualServersAndCatalogIT {
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.node();
    }

    private static List<String> toolNames(McpSessionClient client) {
        List<String> names = new ArrayList<>();
        client.request("tools/list", null).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Nested
    class AVirtualServer {
        @Test
        void listsOnlyTheToolsItIncludes() {
            McpSessionClient readers = new McpSessionClient(sluice.http(), "/mcp/readers");
            readers.initialize();
            List<String> tools = toolNames(readers);
            assertThat(tools).contains("everything__echo", "memory__read_graph", "memory__search_nodes");
            assertThat(tools).allMatch(t -> t.equals("everything__echo") || t.startsWith("memory__read_")
                    || t.startsWith("memory__search_"));
        }

        @Test
        void refusesAToolItDoesNotInclude() {
            McpSessionClient readers = new McpSessionClient(sluice.http(), "/mcp/readers");
            readers.initialize();
            JsonNode answer = readers.callTool("memory__create_entities", Json.object());
            assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(readers.callTool("everything__echo", Json.object().put("message", "ok"))
                    .path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: ok");
        }

        @Test
        void withOneServerAndNoPrefixServesTheUpstreamsOwnNames() {
            McpSessionClient conformance = new McpSessionClient(sluice.http(), "/mcp/conformance");
            conformance.initialize();
            assertThat(toolNames(conformance)).contains("test_simple_text").noneMatch(t -> t.contains("__"));
        }

        @Test
        void anUnknownVirtualServerIsNotFound() {
            HttpResponse<String> r = sluice.http().send(new McpSessionClient(sluice.http(), "/mcp/nowhere")
                    .post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}"));
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("nowhere");
        }
    }

    @Nested
    class TheCatalog {
        @Test
        void reloadsAChangedFileWithoutRestartAndTellsConnectedClients() throws Exception {
            Path file = Gateway.catalogFile();
            String original = Files.readString(file);
            McpSessionClient client = new McpSessionClient(sluice.http(), "/mcp");
            client.initialize();
            CompletableFuture<String> notified = listenFor(client, "notifications/tools/list_changed");
            try {
                Files.writeString(file, original.replace("virtual-servers:", """
                        virtual-servers:
                          - name: added-later
                            servers: [everything]
                        """));
                awaitVirtualServer("added-later", true);
                assertThat(notified.get(20, TimeUnit.SECONDS)).contains("notifications/tools/list_changed");
            } finally {
                Files.writeString(file, original);
                awaitVirtualServer("added-later", false);
            }
        }

        @Test
        void aServerThatIsNotInstalledIsUnavailableAndSaysHowToInstallIt() throws Exception {
            Path file = Gateway.catalogFile();
            String original = Files.readString(file);
            String install = "scripts/install-mcp-servers.sh --only nothing-here";
            try {
                Files.writeString(file, original.replaceFirst("(?m)^servers:\n", """
                        servers:
                          - name: not-installed
                            transport: stdio
                            command: /nonexistent/.mcp-servers/bin/mcp-server-nothing-here
                            install: "%s"
                        """.formatted(install)));
                reload();
                JsonNode status = Http.json(sluice.http().get("/api/v1/servers/not-installed"));
                assertThat(status.toString()).contains(install);
                HttpResponse<String> call = sluice.http().send(sluice.http().request(
                        "/api/v1/servers/not-installed/tools/anything/call").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\": {}}")));
                assertThat(call.statusCode()).as(call.body()).isEqualTo(502); // upstream-unavailable
                assertThat(Http.json(call).path("detail").asText()).contains("install it with: " + install);
                JsonNode row = Http.json(sluice.http().send(sluice.http().request(
                        "/api/v1/catalog/verify?server=not-installed").POST(HttpRequest.BodyPublishers.noBody())))
                        .path("rows").get(0);
                assertThat(row.path("status").asText()).isEqualTo("unavailable");
                assertThat(row.path("install").asText()).isEqualTo(install);
                assertThat(new McpSessionClientHolder().echo()).as("the others still serve").isEqualTo("Echo: still serving");
            } finally {
                Files.writeString(file, original);
                reload();
            }
        }

        private static void reload() {
            HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/catalog/reload")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }

        @Test
        void refusesAnInvalidFileAndKeepsTheCatalogInForce() throws Exception {
            Path file = Gateway.catalogFile();
            String original = Files.readString(file);
            int before = Http.json(sluice.http().get("/api/v1/catalog")).path("servers").asInt();
            try {
                Files.writeString(file, original.replace("transport: stdio", "transport: carrier-pigeon"));
                HttpResponse<String> reload = sluice.http().send(sluice.http().request("/api/v1/catalog/reload")
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(reload.statusCode()).isEqualTo(400);
                JsonNode problem = Http.json(reload);
                assertThat(problem.path("type").asText()).endsWith("/invalid-catalog");
                assertThat(problem.path("detail").asText()).contains("'everything'").contains("carrier-pigeon");
                assertThat(Http.json(sluice.http().get("/api/v1/catalog")).path("servers").asInt()).isEqualTo(before);
                assertThat(new McpSessionClientHolder().echo()).isEqualTo("Echo: still serving");
            } finally {
                Files.writeString(file, original);
                sluice.http().send(sluice.http().request("/api/v1/catalog/reload").POST(HttpRequest.BodyPublishers.noBody()));
            }
        }
    }

    /** Changes made through the REST API (the admin UI's servers page): kept in the database, applied at once. */
    @Nested
    class RunTimeChanges {
        private HttpResponse<String> post(String path) {
            return sluice.http().send(sluice.http().request(path).POST(HttpRequest.BodyPublishers.noBody()));
        }

        private HttpResponse<String> put(Http as, String server, String json) {
            return as.send(as.request("/api/v1/servers/" + server).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        private List<String> restToolNames() {
            List<String> names = new ArrayList<>();
            Http.json(sluice.http().get("/api/v1/tools")).path("tools").forEach(t -> names.add(t.path("name").asText()));
            return names;
        }

        private Http keyed(String role) {
            HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/api-keys")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\": \"catalog-" + role + "-" + System.nanoTime() + "\", \"role\": \"" + role
                                    + "\", \"owner\": \"catalog-" + role + "\"}")));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return sluice.http().withBearer(Http.json(r).path("secret").asText());
        }

        @Test
        void disablingAServerTakesItsToolsAwayAndEnablingBringsThemBackAudited() throws Exception {
            assertThat(restToolNames()).contains("memory__read_graph");
            HttpResponse<String> off = post("/api/v1/servers/memory/disable");
            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            try {
                JsonNode view = Http.json(off);
                assertThat(view.path("enabled").asBoolean()).isFalse();
                assertThat(view.path("origin").asText()).isEqualTo("catalog");
                assertThat(view.path("changedBy").asText()).isEqualTo("owner");
                assertThat(restToolNames()).noneMatch(n -> n.startsWith("memory__")).contains("everything__echo");
                JsonNode audit = Http.json(sluice.http().get("/api/v1/audit?action=catalog/disable&server=memory"));
                assertThat(audit).isNotEmpty();
                assertThat(audit.get(0).path("subject").asText()).isEqualTo("owner");
            } finally {
                HttpResponse<String> on = post("/api/v1/servers/memory/enable");
                assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
                assertThat(Http.json(on).path("enabled").asBoolean()).isTrue();
            }
            assertThat(restToolNames()).contains("memory__read_graph");
        }

        @Test
        void aServerAddedAtRunTimeServesItsToolsAndCanBeChangedAndRemoved() throws Exception {
            String entry = Http.json(sluice.http().get("/api/v1/servers/everything/definition")).toString();
            assertThat(entry).contains("mcp-server-everything").contains("\"transport\":\"stdio\"");
            ObjectNode copy = (ObjectNode) Json.parse(entry);
            copy.remove("name");
            copy.put("description", "a second everything, added at run time");
            HttpResponse<String> added = put(sluice.http(), "everything-two", Json.write(copy));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            try {
                assertThat(Http.json(added).path("origin").asText()).isEqualTo("api");
                HttpResponse<String> echo = sluice.http().send(sluice.http().request(
                        "/api/v1/servers/everything-two/tools/echo/call").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\": {\"message\": \"from two\"}}")));
                assertThat(echo.body()).contains("Echo: from two");
                copy.put("description", "changed");
                HttpResponse<String> changed = put(sluice.http(), "everything-two", Json.write(copy));
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                assertThat(Http.json(sluice.http().get("/api/v1/servers/everything-two")).path("description").asText())
                        .isEqualTo("changed");
            } finally {
                HttpResponse<String> gone = sluice.http().send(sluice.http().request("/api/v1/servers/everything-two").DELETE());
                assertThat(gone.statusCode()).as(gone.body()).isEqualTo(204);
            }
            assertThat(sluice.http().get("/api/v1/servers/everything-two").statusCode()).isEqualTo(404);
            assertThat(restToolNames()).noneMatch(n -> n.startsWith("everything-two__"));
        }

        @Test
        void aSecretEnteredAtRunTimeIsStoredSealedAndStillReachesTheServer() throws Exception {
            String secret = "s3cr3t-" + System.nanoTime();
            ObjectNode entry = (ObjectNode) Http.json(sluice.http().get("/api/v1/servers/everything/definition"));
            entry.remove("name");
            entry.putObject("env").put("SLUICE_SEALED_PROBE", secret);
            HttpResponse<String> added = put(sluice.http(), "everything-sealed", Json.write(entry));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            try {
                String stored = sluice.http().get("/api/v1/servers/everything-sealed/definition").body();
                assertThat(stored).doesNotContain(secret).contains("\"SLUICE_SEALED_PROBE\":\"${sealed:");
                // the process got the value: the reference server lists its environment
                HttpResponse<String> env = sluice.http().send(sluice.http().request(
                        "/api/v1/servers/everything-sealed/tools/get-env/call").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\": {}}")));
                assertThat(env.statusCode()).as(env.body()).isEqualTo(200);
                // …masked in the answer like every credential Sluice hands out
                assertThat(env.body()).contains("SLUICE_SEALED_PROBE").contains("[REDACTED]").doesNotContain(secret);
                // changed again with the sealed reference as it was read: it stays sealed, and the same
                ObjectNode again = (ObjectNode) Json.parse(stored);
                again.put("description", "still sealed");
                assertThat(put(sluice.http(), "everything-sealed", Json.write(again)).statusCode()).isEqualTo(200);
                assertThat(sluice.http().get("/api/v1/servers/everything-sealed/definition").body())
                        .contains(again.path("env").path("SLUICE_SEALED_PROBE").asText());
                assertThat(Files.readString(sluice.messagesLog())).doesNotContain(secret);
            } finally {
                sluice.http().send(sluice.http().request("/api/v1/servers/everything-sealed").DELETE());
            }
        }

        @Test
        void aBadEntryIsRefusedFieldByFieldAndNothingChanges() {
            int before = Http.json(sluice.http().get("/api/v1/catalog")).path("servers").asInt();
            HttpResponse<String> bad = put(sluice.http(), "broken", "{\"transport\": \"carrier-pigeon\", \"tier\": 9}");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            JsonNode problem = Http.json(bad);
            assertThat(problem.path("type").asText()).endsWith("/invalid-catalog");
            assertThat(problem.path("detail").asText()).contains("carrier-pigeon");
            List<String> fields = new ArrayList<>();
            problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
            assertThat(fields).contains("transport", "tier");
            assertThat(problem.path("errors").get(0).path("server").asText()).isEqualTo("broken");
            HttpResponse<String> renamed = put(sluice.http(), "memory", "{\"name\": \"other\", \"transport\": \"stdio\","
                    + " \"command\": \"true\"}");
            assertThat(renamed.statusCode()).isEqualTo(400);
            assertThat(Http.json(renamed).path("detail").asText()).contains("cannot be renamed");
            HttpResponse<String> fileServer = sluice.http().send(sluice.http().request("/api/v1/servers/memory").DELETE());
            assertThat(fileServer.statusCode()).isEqualTo(409);
            assertThat(Http.json(fileServer).path("detail").asText()).contains("disable it instead");
            assertThat(post("/api/v1/servers/nowhere/disable").statusCode()).isEqualTo(404);
            assertThat(Http.json(sluice.http().get("/api/v1/catalog")).path("servers").asInt()).isEqualTo(before);
        }

        /** Issue 21, finding 4: an admin of the API is not the host's operating-system user. */
        @Test
        void anAdminCannotRunCommandsReadHostSecretsOrReachMetadataThroughARunTimeEntry() {
            Http admin = keyed("admin");
            String probe = "probe-" + System.nanoTime();
            // a stdio server is a process on the host: owners only
            HttpResponse<String> stdio = put(admin, probe, "{\"transport\": \"stdio\", \"command\": \"true\"}");
            assertThat(stdio.statusCode()).as(stdio.body()).isEqualTo(403);
            assertThat(Http.json(stdio).path("detail").asText()).contains("owner");
            // and even an owner runs only what sluice.registry.run-time.commands allows
            for (String command : List.of("/bin/sh", "sh", "${env:SLUICE_TEST_MCP_DIR}/../../../bin/sh")) {
                HttpResponse<String> owner = put(sluice.http(), probe, Json.write(Json.object().put("transport", "stdio")
                        .put("command", command)));
                assertThat(owner.statusCode()).as("%s: %s", command, owner.body()).isEqualTo(403);
                assertThat(Http.json(owner).path("detail").asText()).contains("sluice.registry.run-time.commands");
            }
            HttpResponse<String> cwd = put(sluice.http(), probe, Json.write(Json.object().put("transport", "stdio")
                    .put("command", "${env:SLUICE_TEST_MCP_DIR}/node_modules/.bin/mcp-server-everything").put("cwd", "/etc")));
            assertThat(cwd.statusCode()).as(cwd.body()).isEqualTo(403);
            // the host's secrets are out of reach of references
            for (String header : List.of("Bearer ${env:SLUICE_TEST_PG_URL}", "${file:/etc/passwd}",
                    "${env:HOME:-x}")) {
                ObjectNode entry = Json.object().put("transport", "streamable-http").put("url", "http://127.0.0.1:3901/mcp");
                entry.putObject("headers").put("Authorization", header);
                HttpResponse<String> r = put(admin, probe, Json.write(entry));
                assertThat(r.statusCode()).as("%s: %s", header, r.body()).isEqualTo(403);
                assertThat(Http.json(r).path("detail").asText()).containsPattern("run-time\\.(env|file)-prefixes");
            }
            // no cloud metadata service
            for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                    "http://metadata.google.internal/computeMetadata/v1/")) {
                HttpResponse<String> r = put(admin, probe, Json.write(Json.object().put("transport", "streamable-http")
                        .put("url", url)));
                assertThat(r.statusCode()).as("%s: %s", url, r.body()).isEqualTo(403);
                assertThat(Http.json(r).path("detail").asText()).contains("may not reach");
            }
            // a sealed secret copied out of one entry opens nowhere else
            ObjectNode holder = Json.object().put("transport", "streamable-http").put("url", "http://127.0.0.1:3901/mcp");
            holder.putObject("headers").put("Authorization", "Bearer held-" + probe);
            assertThat(put(admin, probe + "-holder", Json.write(holder)).statusCode()).isEqualTo(201);
            try {
                String sealed = Http.json(admin.get("/api/v1/servers/" + probe + "-holder/definition"))
                        .path("headers").path("Authorization").asText();
                assertThat(sealed).startsWith("${sealed:");
                ObjectNode thief = Json.object().put("transport", "streamable-http").put("url", "http://127.0.0.1:3901/mcp");
                thief.putObject("headers").put("X-Stolen", sealed);
                HttpResponse<String> r = put(admin, probe, Json.write(thief));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                assertThat(Http.json(r).path("detail").asText()).contains("not sealed for it");
            } finally {
                admin.send(admin.request("/api/v1/servers/" + probe + "-holder").DELETE());
            }
            assertThat(sluice.http().get("/api/v1/servers/" + probe).statusCode()).isEqualTo(404);
        }

        @Test
        void onlyAdminsChangeTheCatalog() {
            Http engineer = keyed("engineer");
            HttpResponse<String> r = engineer.send(engineer.request("/api/v1/servers/memory/disable")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(put(engineer, "sneaky", "{\"transport\": \"stdio\", \"command\": \"true\"}").statusCode())
                    .isEqualTo(403);
            assertThat(engineer.get("/api/v1/servers/memory/definition").statusCode()).isEqualTo(403);
            assertThat(Http.json(sluice.http().get("/api/v1/servers/memory")).path("enabled").asBoolean()).isTrue();
            JsonNode me = Http.json(engineer.get("/api/v1/me"));
            assertThat(me.path("role").asText()).isEqualTo("engineer");
            assertThat(me.path("can").path("admin").asBoolean()).isFalse();
            assertThat(me.path("can").path("callTools").asBoolean()).isTrue();
            assertThat(Http.json(sluice.http().get("/api/v1/me")).path("can").path("admin").asBoolean()).isTrue();
        }
    }

    /** A fresh session that calls echo, to show the gateway still serves. */
    private static final class McpSessionClientHolder {
        String echo() {
            McpSessionClient c = new McpSessionClient(sluice.http(), "/mcp");
            c.initialize();
            return c.callTool("everything__echo", Json.object().put("message", "still serving"))
                    .path("result").path("content").get(0).path("text").asText();
        }
    }

    private static void awaitVirtualServer(String name, boolean present) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            boolean there = Http.json(sluice.http().get("/api/v1/virtual-servers")).findValuesAsText("name").contains(name);
            if (there == present) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("virtual server " + name + (present ? " never appeared" : " never left"));
    }

    /** Opens the session's GET stream and completes with the first line that mentions {@code method}. */
    private static CompletableFuture<String> listenFor(McpSessionClient client, String method) throws Exception {
        HttpRequest get = sluice.http().request("/mcp")
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", client.sessionId())
                .GET().build();
        CompletableFuture<String> found = new CompletableFuture<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.filter(l -> l.contains(method)).findFirst().ifPresent(found::complete);
            } catch (RuntimeException e) {
                found.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300);
        return found;
    }
}
