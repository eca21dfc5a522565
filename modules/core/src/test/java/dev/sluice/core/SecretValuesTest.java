package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

    @Test
    void aLongSecretIsMaskedWhereverItAppears() {
        SecretValues.register("long-secret-4f1e");
        assertThat(SecretValues.mask("x=long-secret-4f1e;y")).isEqualTo("x=[REDACTED];y");
    }

    @Test
    void aShortSecretIsMaskedAsAWholeWordWithoutGarblingText() {
        SecretValues.register("pw9Q");
        assertThat(SecretValues.mask("password pw9Q refused")).isEqualTo("password [REDACTED] refused");
        assertThat(SecretValues.mask("user:pw9Q@host")).isEqualTo("user:[REDACTED]@host");
        assertThat(SecretValues.mask("xpw9Qx stays")).isEqualTo("xpw9Qx stays");
        assertThat(SecretValues.mask("{\"password\":\"pw9Q\"}")).isEqualTo("{\"password\":\"[REDACTED]\"}");
        assertThat(SecretValues.mask("pw9Q.registry.keys and /opt/pw9Q/bin")).isEqualTo("pw9Q.registry.keys and /opt/pw9Q/bin");
    }

    @Test
    void namedVariablesRegisterTheirSecretsButNotTheirSettings() {
        SecretValues.registerNamed(Map.of(
                "DB_PASSWORD", "dbpw77",
                "SLUICE_SECRETS_KEYS", "keyOne1234567890,keyTwo1234567890",
                "SLUICE_SECURITY_API_KEYS_CACHE_TTL", "PT30S",
                "SLUICE_SECURITY_API_KEYS_HASH_KEY_FILE", "/var/lib/sluice/hash.key",
                "SLUICE_SESSION_TOGGLE", "true",
                "HOME", "/root"));
        assertThat(SecretValues.mask("a dbpw77 b")).isEqualTo("a [REDACTED] b");
        assertThat(SecretValues.mask("keyTwo1234567890")).isEqualTo("[REDACTED]");
        assertThat(SecretValues.mask("ttl PT30S, file /var/lib/sluice/hash.key, true, /root"))
                .isEqualTo("ttl PT30S, file /var/lib/sluice/hash.key, true, /root");
    }

    @Test
    void aPasswordInAUrlIsRegisteredWhateverTheName() {
        SecretValues.registerNamed(Map.of("WAREHOUSE_URL", "postgresql://app:hunter2x@db:5432/w"));
        assertThat(SecretValues.mask("hunter2x")).isEqualTo("[REDACTED]");
    }

    @Test
    void anUpstreamErrorsMessageAndDataAreMasked() {
        SecretValues.register("upstream-cred-99x");
        ObjectNode error = (ObjectNode) Json.parse("{\"code\":-32000,\"message\":\"login upstream-cred-99x failed\","
                + "\"data\":{\"dsn\":\"postgres://u:upstream-cred-99x@h\",\"list\":[\"upstream-cred-99x\"]}}");
        UpstreamErrorException e = new UpstreamErrorException("pg", error);
        assertThat(e.error().toString()).doesNotContain("upstream-cred-99x").contains("[REDACTED]");
        assertThat(e.detail()).doesNotContain("upstream-cred-99x");
    }
}
