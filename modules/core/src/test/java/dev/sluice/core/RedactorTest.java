package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    private static final String MASK = Redactor.MASK;
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";

    @Nested
    class Members {
        @Test
        void secretMembersAreMasked() {
            JsonNode out = Redactor.redact(Json.parse("""
                    {"user": "alice", "password": "hunter2", "token": "abc", "api_key": "k1",
                     "Authorization": "Basic dXNlcjpwYXNz", "clientSecret": "s", "X-Api-Key": "k2"}
                    """));
            assertThat(out.path("user").asText()).isEqualTo("alice");
            assertThat(out.path("password").asText()).isEqualTo(MASK);
            assertThat(out.path("token").asText()).isEqualTo(MASK);
            assertThat(out.path("api_key").asText()).isEqualTo(MASK);
            assertThat(out.path("Authorization").asText()).isEqualTo(MASK);
            assertThat(out.path("clientSecret").asText()).isEqualTo(MASK);
            assertThat(out.path("X-Api-Key").asText()).isEqualTo(MASK);
        }

        @Test
        void onlyTextualValuesOfSecretMembersAreMasked() {
            JsonNode out = Redactor.redact(Json.parse("{\"max_tokens\": 512, \"token_count\": 3, \"has_password\": true}"));
            assertThat(out.path("max_tokens").asInt()).isEqualTo(512);
            assertThat(out.path("token_count").asInt()).isEqualTo(3);
            assertThat(out.path("has_password").asBoolean()).isTrue();
        }

        @Test
        void nestedObjectsAndArraysAreHandled() {
            JsonNode out = Redactor.redact(Json.parse("""
                    {"upstream": {"name": "pg", "auth": {"password": "p4ss", "user": "svc"}},
                     "headers": [{"name": "x", "token": "t0k"}, "plain", "sk-sluice-abcdef123456"],
                     "credentials": {"user": "bob", "key": "value"}}
                    """));
            assertThat(out.at("/upstream/name").asText()).isEqualTo("pg");
            assertThat(out.at("/upstream/auth/password").asText()).isEqualTo(MASK);
            assertThat(out.at("/upstream/auth/user").asText()).isEqualTo("svc");
            assertThat(out.at("/headers/0/token").asText()).isEqualTo(MASK);
            assertThat(out.at("/headers/0/name").asText()).isEqualTo("x");
            assertThat(out.at("/headers/1").asText()).isEqualTo("plain");
            assertThat(out.at("/headers/2").asText()).isEqualTo(MASK);
            // an object under a secret name is walked, not dropped
            assertThat(out.at("/credentials/user").asText()).isEqualTo("bob");
        }

        @Test
        void theInputIsNotChanged() {
            JsonNode in = Json.parse("{\"password\": \"hunter2\", \"list\": [{\"token\": \"t\"}]}");
            String before = in.toString();
            Redactor.redact(in);
            assertThat(in.toString()).isEqualTo(before);
        }

        @Test
        void ordinaryValuesStayAsTheyAre() {
            JsonNode in = Json.parse("{\"a\": 1, \"b\": null, \"c\": [true, 2.5], \"d\": \"hello world\"}");
            assertThat(Redactor.redact(in)).isEqualTo(in);
            assertThat(Redactor.redact((JsonNode) null)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"password", "PASSWORD", "db_passwd", "pwd", "secret", "access_token", "refresh-token",
            "apiKey", "api-key", "authorization", "credential", "private_key", "cookie", "dsn"})
        void secretNames(String name) {
            assertThat(Redactor.isSecretName(name)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"user", "name", "limit", "sql", "description"})
        void ordinaryNames(String name) {
            assertThat(Redactor.isSecretName(name)).isFalse();
        }
    }

    @Nested
    class Text {
        @Test
        void anApiKeyInFreeTextIsMasked() {
            String out = Redactor.redact("key sk-sluice-abc123DEF_456-xyz was rejected");
            assertThat(out).isEqualTo("key " + MASK + " was rejected");
        }

        @Test
        void aJwtIsMasked() {
            assertThat(Redactor.redact("token=" + JWT + " end")).isEqualTo("token=" + MASK + " end");
        }

        @Test
        void aBearerValueIsMasked() {
            String out = Redactor.redact("header was Bearer abcdefgh12345678 for alice");
            assertThat(out).isEqualTo("header was Bearer " + MASK + " for alice");
        }

        @Test
        void thePasswordOfAUrlIsMasked() {
            assertThat(Redactor.redact("cannot reach postgresql://user:s3cret@host/db"))
                    .isEqualTo("cannot reach postgresql://user:" + MASK + "@host/db");
        }

        @Test
        void aUrlWithoutPasswordIsUnchanged() {
            String text = "see https://example.org:8443/path and postgresql://user@host/db";
            assertThat(Redactor.redact(text)).isEqualTo(text);
        }

        @Test
        void aRegisteredSecretIsMaskedAnywhere() {
            String secret = "reg-" + UUID.randomUUID();
            assertThat(Redactor.redact("upstream said: bad credential " + secret + "!")).contains(secret);
            SecretValues.register(secret);
            assertThat(Redactor.redact("upstream said: bad credential " + secret + "!"))
                    .isEqualTo("upstream said: bad credential " + MASK + "!");
            assertThat(Redactor.redact(Json.parse("{\"message\": \"x" + secret + "y\"}")).path("message").asText())
                    .isEqualTo("x" + MASK + "y");
        }

        @Test
        void ordinaryTextIsUnchanged() {
            String text = "SELECT name, token_count FROM users WHERE id = 7; -- the sk- prefix, eyJ, and a://b";
            assertThat(Redactor.redact(text)).isEqualTo(text);
            assertThat(Redactor.redact("")).isEmpty();
            assertThat(Redactor.redact((String) null)).isNull();
        }

        @Test
        void secretsInsideAStringMemberAreMasked() {
            JsonNode out = Redactor.redact(Json.parse("{\"error\": \"login failed for postgresql://u:pw1234@h/d\"}"));
            assertThat(out.path("error").asText()).isEqualTo("login failed for postgresql://u:" + MASK + "@h/d");
        }
    }
}
