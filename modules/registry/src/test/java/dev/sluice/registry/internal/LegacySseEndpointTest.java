package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A legacy SSE upstream's endpoint event may not send Sluice's POSTs (and their credentials) elsewhere. */
class LegacySseEndpointTest {
    private static final URI STREAM = URI.create("http://127.0.0.1:3001/sse");

    @Test
    void aRelativeOrSameOriginEndpointIsTaken() throws IOException {
        assertThat(LegacySseTransport.endpointOf(STREAM, "/messages?sessionId=abc"))
                .isEqualTo(URI.create("http://127.0.0.1:3001/messages?sessionId=abc"));
        assertThat(LegacySseTransport.endpointOf(STREAM, " http://127.0.0.1:3001/m ")).hasPath("/m");
        assertThat(LegacySseTransport.endpointOf(URI.create("https://h.example/sse"), "https://H.example:443/m")).hasPath("/m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://attacker.example/messages", "//attacker.example/messages", "http://127.0.0.1:3002/m",
        "https://127.0.0.1:3001/m", "http://169.254.169.254/latest", "http://user@127.0.0.1:3001/m"})
    void anotherOriginIsRefused(String data) {
        assertThatThrownBy(() -> LegacySseTransport.endpointOf(STREAM, data)).isInstanceOf(IOException.class)
                .hasMessageContaining("origin");
    }
}
