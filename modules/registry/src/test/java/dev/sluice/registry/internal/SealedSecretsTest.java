package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AesKeyRing;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedSecretsTest {
    private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_2 = Base64.getEncoder().encodeToString(AesKeyRing.randomKey());

    private static SealedSecrets with(String... keys) {
        return new SealedSecrets(AesKeyRing.of(List.of(keys), "sluice.secrets.keys").orElseThrow());
    }

    @Test
    void literalSecretsOfAnEntryAreSealedAndReferencesStayAsTheyAre() {
        ObjectNode entry = (ObjectNode) Json.parse("""
                {"name": "warehouse", "transport": "stdio", "command": "mcp-warehouse",
                 "args": ["--dsn", "postgresql://app:hunter2@db:5432/wh", "--verbose"],
                 "env": {"API_TOKEN": "tok-123456", "REGION": "${env:REGION}", "EMPTY": ""},
                 "headers": {"Authorization": "Bearer abc.def"}}
                """);
        ObjectNode sealed = with(KEY_1).sealEntry(entry);
        String text = sealed.toString();
        assertThat(text).doesNotContain("tok-123456").doesNotContain("hunter2").doesNotContain("abc.def");
        assertThat(sealed.path("env").path("API_TOKEN").asText()).startsWith("${sealed:").endsWith("}");
        assertThat(sealed.path("env").path("REGION").asText()).isEqualTo("${env:REGION}");
        assertThat(sealed.path("env").path("EMPTY").asText()).isEmpty();
        assertThat(sealed.path("args").get(0).asText()).isEqualTo("--dsn");
        assertThat(sealed.path("args").get(1).asText()).startsWith("${sealed:");
        assertThat(sealed.path("args").get(2).asText()).isEqualTo("--verbose");
        assertThat(entry.path("env").path("API_TOKEN").asText()).as("the given entry is left alone").isEqualTo("tok-123456");
        // sealing again changes nothing that is sealed already
        assertThat(with(KEY_1).sealEntry(sealed)).isEqualTo(sealed);
    }

    @Test
    void aSealedReferenceResolvesOnlyWithOneOfTheKeys() {
        String reference = with(KEY_1).seal("tok-123456");
        Map<String, String> env = Map.of("API_TOKEN", reference);
        assertThat(new SecretReferences(n -> null, with(KEY_1)).resolveAll(env, "env")).containsEntry("API_TOKEN", "tok-123456");
        // rotated: a new key first, the old one still opens
        assertThat(new SecretReferences(n -> null, with(KEY_2, KEY_1)).resolve(reference, "env")).isEqualTo("tok-123456");
        assertThatThrownBy(() -> new SecretReferences(n -> null, with(KEY_2)).resolve(reference, "server 'w' env"))
                .isInstanceOf(SluiceException.class).hasMessageContaining("server 'w' env")
                .hasMessageContaining("sluice.secrets.keys").hasMessageNotContaining("tok-123456");
        assertThatThrownBy(() -> new SecretReferences(n -> null, null).resolve(reference, "env"))
                .hasMessageContaining("no key");
        String altered = reference.substring(0, 20) + (reference.charAt(20) == 'A' ? 'B' : 'A') + reference.substring(21);
        assertThatThrownBy(() -> new SecretReferences(n -> null, with(KEY_1)).resolve(altered, "env"))
                .isInstanceOf(SluiceException.class);
    }
}
