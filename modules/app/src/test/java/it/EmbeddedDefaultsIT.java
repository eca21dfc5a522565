package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import it.support.Http;
import it.support.Migrations;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Sluice as the README's start command runs it: embedded database, nothing else installed. */
class EmbeddedDefaultsIT {
    private final Http sluice = Http.defaultServer();

    @Nested
    class FirstStart {
        private final Path serverDir = Path.of(java.lang.System.getProperty("sluice.server.dir",
                "target/liberty/wlp/usr/servers/sluice"));

        @Test
        void writesAnOwnerKeyOnlyTheServersUserCanReadAndNeverLogsIt() throws IOException {
            Path keyFile = serverDir.resolve("bootstrap-owner.key");
            String key = Files.readString(keyFile).strip();
            assertThat(key).startsWith("sk-sluice-").hasSizeGreaterThan(40);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            // every messages log of this server, the earlier starts' included (Liberty keeps them as messages_<time>.log)
            StringBuilder logs = new StringBuilder();
            try (var files = Files.list(serverDir.resolve("logs"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("messages")).toList()) {
                    logs.append(Files.readString(file));
                }
            }
            assertThat(logs.toString()).contains("bootstrap-owner.key").doesNotContain(key);
        }

        @Test
        void theKeyIsAnOwnerAndNothingWorksWithoutCredentials() {
            HttpResponse<String> keys = sluice.get("/api/v1/api-keys");
            assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
            assertThat(Http.json(keys).get(0).path("role").asText()).isEqualTo("owner");
            assertThat(Http.json(keys).get(0).path("name").asText()).isEqualTo("bootstrap");
            HttpResponse<String> anonymous = sluice.anonymous().get("/api/v1/tools");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer resource_metadata="));
        }
    }

    @Nested
    class Health {
        @Test
        void readinessIsUpWithTheDatabaseCheck() {
            HttpResponse<String> ready = sluice.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode body = Http.json(ready);
            assertThat(body.path("status").asText()).isEqualTo("UP");
            JsonNode database = check(body, "database");
            assertThat(database.path("status").asText()).isEqualTo("UP");
            assertThat(database.path("data").path("product").asText()).isEqualTo("H2");
        }

        @Test
        void startupReportsTheMigratedSchemaVersion() {
            HttpResponse<String> started = sluice.get("/health/started");
            assertThat(started.statusCode()).isEqualTo(200);
            JsonNode schema = check(Http.json(started), "schema");
            assertThat(schema.path("status").asText()).isEqualTo("UP");
            assertThat(schema.path("data").path("version").asText()).isEqualTo(Migrations.latestVersion());
        }

        @Test
        void livenessIsUp() {
            HttpResponse<String> live = sluice.get("/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(Http.json(live).path("status").asText()).isEqualTo("UP");
        }

        private JsonNode check(JsonNode health, String name) {
            for (JsonNode check : health.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            throw new AssertionError("no check named " + name + " in " + health);
        }
    }

    @Nested
    class System {
        @Test
        void theNodeRegisteredItselfAndIsAlive() {
            JsonNode info = Http.json(sluice.get("/api/v1/system/info"));
            String self = info.path("nodeId").asText();
            assertThat(self).isNotBlank();
            assertThat(info.path("schemaVersion").asText()).isEqualTo(Migrations.latestVersion());

            JsonNode nodes = Http.json(sluice.get("/api/v1/system/nodes"));
            assertThat(nodes.isArray()).isTrue();
            JsonNode me = null;
            for (JsonNode node : nodes) {
                if (self.equals(node.path("nodeId").asText())) {
                    me = node;
                }
            }
            assertThat(me).as("this node in %s", nodes).isNotNull();
            assertThat(me.path("alive").asBoolean()).isTrue();
            assertThat(me.path("version").asText()).isEqualTo(info.path("version").asText());
        }
    }

    @Nested
    class Errors {
        @Test
        void anUnknownApiPathIsAProblemDocument() {
            HttpResponse<String> missing = sluice.get("/api/v1/no-such-thing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = Http.json(missing);
            assertThat(problem.path("type").asText()).isEqualTo("https://sluice.dev/problems/not-found");
            assertThat(problem.path("status").asInt()).isEqualTo(404);
            assertThat(problem.path("title").asText()).isNotBlank();
            assertThat(problem.path("detail").asText()).contains("/api/v1/no-such-thing");
        }

        @Test
        void aWrongMethodIsAProblemDocumentNamingTheAllowedOnes() {
            HttpResponse<String> wrong = sluice.send(sluice.request("/api/v1/system/nodes")
                    .DELETE());
            assertThat(wrong.statusCode()).isEqualTo(405);
            JsonNode problem = Http.json(wrong);
            assertThat(problem.path("type").asText()).endsWith("/method-not-allowed");
            assertThat(problem.path("detail").asText()).contains("GET");
        }
    }

    @Nested
    class Metrics {
        @Test
        void prometheusCanScrapeWithoutCredentials() {
            HttpResponse<String> metrics = sluice.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("# TYPE").contains("memory");
        }
    }
}
