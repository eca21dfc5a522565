package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Json;
import org.junit.jupiter.api.Test;

class StreamableHttpTransportTest {

    @Test
    void mcpNameIsTheToolOrPromptNameOrTheResourceUri() {
        assertThat(StreamableHttpTransport.mcpName("tools/call", Json.object().put("name", "echo"))).isEqualTo("echo");
        assertThat(StreamableHttpTransport.mcpName("prompts/get", Json.object().put("name", "greet"))).isEqualTo("greet");
        assertThat(StreamableHttpTransport.mcpName("resources/read", Json.object().put("uri", "file:///a.txt")))
                .isEqualTo("file:///a.txt");
    }

    @Test
    void aTaskMethodsMcpNameIsTheTaskId() {
        for (String method : new String[] {"tasks/get", "tasks/update", "tasks/cancel"}) {
            assertThat(StreamableHttpTransport.mcpName(method, Json.object().put("taskId", "t-42"))).isEqualTo("t-42");
        }
        assertThat(StreamableHttpTransport.mcpName("tasks/list", Json.object().put("taskId", "t-42"))).isNull();
    }

    @Test
    void otherMethodsHaveNoMcpName() {
        assertThat(StreamableHttpTransport.mcpName("tools/list", Json.object().put("name", "x"))).isNull();
        assertThat(StreamableHttpTransport.mcpName("tools/call", Json.object())).isNull();
    }

    @Test
    void aNameThatIsNotPlainAsciiTravelsBase64Encoded() {
        assertThat(StreamableHttpTransport.mcpName("tools/call", Json.object().put("name", "grüße")))
                .isEqualTo("=?base64?Z3LDvMOfZQ==?=");
        assertThat(StreamableHttpTransport.mcpName("resources/read", Json.object().put("uri", "a\nb")))
                .startsWith("=?base64?");
    }
}
