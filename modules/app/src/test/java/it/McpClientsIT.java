package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import it.support.Command;
import it.support.Gateway;
import it.support.Http;
import it.support.SluiceNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real MCP clients that are not Sluice's code initialize, list and call through Sluice. */
class McpClientsIT {
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.node();
    }

    /** The TypeScript client sends the tests' owner key on every request. */
    private static Map<String, String> auth(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("MCP_HEADERS", "{\"Authorization\":\"" + sluice.http().authorization() + "\"}");
        return env;
    }

    private static String url() {
        return sluice.http().baseUrl() + "/mcp";
    }

    @Test
    void theOfficialTypeScriptSdkClient() {
        Command list = Command.run(List.of("node", "ts-client.mjs", url(), "list-tools"), Gateway.mcpDir(), auth(Map.of()),
                Duration.ofMinutes(1));
        assertThat(list.exitCode()).as(list.stdout() + list.stderr()).isZero();
        JsonNode names = Http.json(list.stdout());
        assertThat(names.toString()).contains("\"everything__echo\"").contains("\"memory__read_graph\"");

        Command call = Command.run(List.of("node", "ts-client.mjs", url(), "call", "everything__echo",
                "{\"message\":\"from typescript\"}"), Gateway.mcpDir(), auth(Map.of()), Duration.ofMinutes(1));
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        assertThat(Http.json(call.stdout()).path("content").get(0).path("text").asText())
                .isEqualTo("Echo: from typescript");
    }

    @Test
    void anOldClientOnTheLegacySseTransport() {
        Map<String, String> legacy = Map.of("MCP_TRANSPORT", "sse");
        String sse = sluice.http().baseUrl() + "/sse";
        Command list = Command.run(List.of("node", "ts-client.mjs", sse, "list-tools"), Gateway.mcpDir(), auth(legacy),
                Duration.ofMinutes(1));
        assertThat(list.exitCode()).as(list.stdout() + list.stderr()).isZero();
        assertThat(list.stdout()).contains("\"everything__echo\"");
        Command call = Command.run(List.of("node", "ts-client.mjs", sse, "call", "everything__echo",
                "{\"message\":\"over the old transport\"}"), Gateway.mcpDir(), auth(legacy), Duration.ofMinutes(1));
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        assertThat(Http.json(call.stdout()).path("content").get(0).path("text").asText())
                .isEqualTo("Echo: over the old transport");
    }

    @Test
    void theMcpJavaSdkClient() {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(sluice.http().baseUrl())
                .endpoint("/mcp")
                .requestBuilder(java.net.http.HttpRequest.newBuilder().header("Authorization", sluice.http().authorization()))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        try {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("sluice");
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("everything__echo", "memory__read_graph");
            McpSchema.CallToolResult result = client.callTool(
                    new McpSchema.CallToolRequest("everything__echo", Map.of("message", "from java")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("Echo: from java");
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void theInspectorCli() {
        // the inspector resolves its packages from the working directory's parent: run it inside node_modules
        Command call = Command.run(List.of("node", "@modelcontextprotocol/inspector-cli/build/index.js", url(),
                "--transport", "http", "--method", "tools/call", "--tool-name", "everything__echo",
                "--tool-arg", "message=\"from the inspector\"", "--header", "Authorization: " + sluice.http().authorization()),
                Gateway.mcpDir().resolve("node_modules"), Map.of(), Duration.ofMinutes(1));
        assertThat(call.stdout()).as(call.stdout() + call.stderr()).contains("Echo: from the inspector");

        Command list = Command.run(List.of("node", "@modelcontextprotocol/inspector-cli/build/index.js", url(),
                "--transport", "http", "--method", "tools/list", "--header", "Authorization: " + sluice.http().authorization()),
                Gateway.mcpDir().resolve("node_modules"), Map.of(), Duration.ofMinutes(1));
        assertThat(list.stdout()).as(list.stdout() + list.stderr()).contains("everything__echo");
    }
}
