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
        ObjectNode sealed = with(KEY_1).sealEntry("warehouse", entry);
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
        assertThat(with(KEY_1).sealEntry("warehouse", sealed)).isEqualTo(sealed);
    }

    @Test
    void aSealedReferenceResolvesOnlyWithOneOfTheKeys() {
        String binding = SealedSecrets.binding("w", "env.API_TOKEN");
        String reference = with(KEY_1).seal("tok-123456", binding);
        Map<String, String> env = Map.of("API_TOKEN", reference);
        assertThat(new SecretReferences(n -> null, with(KEY_1)).resolveAll(env, "env", "w/env."))
                .containsEntry("API_TOKEN", "tok-123456");
        // rotated: a new key first, the old one still opens
        assertThat(new SecretReferences(n -> null, with(KEY_2, KEY_1)).resolve(reference, "env", binding)).isEqualTo("tok-123456");
        assertThatThrownBy(() -> new SecretReferences(n -> null, with(KEY_2)).resolve(reference, "server 'w' env", binding))
                .isInstanceOf(SluiceException.class).hasMessageContaining("server 'w' env")
                .hasMessageContaining("sluice.secrets.keys").hasMessageNotContaining("tok-123456");
        assertThatThrownBy(() -> new SecretReferences(n -> null, null).resolve(reference, "env", binding))
                .hasMessageContaining("no key");
        String altered = reference.substring(0, 20) + (reference.charAt(20) == 'A' ? 'B' : 'A') + reference.substring(21);
        assertThatThrownBy(() -> new SecretReferences(n -> null, with(KEY_1)).resolve(altered, "env", binding))
                .isInstanceOf(SluiceException.class);
    }

    @Test
    void aSealedValueCopiedToAnotherEntryOrFieldDoesNotOpen() {
        ObjectNode entry = (ObjectNode) Json.parse("""
                {"transport": "streamable-http", "url": "https://mcp.example.com/mcp",
                 "headers": {"Authorization": "Bearer real-token-123"}}
                """);
        String sealedHeader = with(KEY_1).sealEntry("warehouse", entry).path("headers").path("Authorization").asText();
        SecretReferences refs = new SecretReferences(n -> null, with(KEY_1));
        assertThat(refs.resolve(sealedHeader, "h", SealedSecrets.binding("warehouse", "headers.Authorization")))
                .isEqualTo("Bearer real-token-123");
        for (String elsewhere : new String[] {SealedSecrets.binding("attacker", "headers.Authorization"),
                SealedSecrets.binding("warehouse", "headers.X-Forward"), SealedSecrets.binding("warehouse", "env.TOKEN"),
                null}) {
            assertThatThrownBy(() -> refs.resolve(sealedHeader, "copied", elsewhere)).as(elsewhere)
                    .isInstanceOf(SluiceException.class).hasMessageContaining("not sealed for it")
                    .hasMessageNotContaining("real-token-123");
        }
    }
}
