package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.Transport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stdio upstream starts with the inherited names and its declared variables, nothing else of Sluice's environment. */
class StdioEnvironmentTest {

    @Test
    void onlyTheInheritedNamesAndTheDeclaredVariablesAreGiven() {
        Map<String, String> own = Map.of("PATH", "/usr/bin", "HOME", "/home/sluice", "DB_PASSWORD", "db-secret",
                "SLUICE_SECRETS_KEYS", "k1", "SLUICE_AGENTS_OPENAI_API_KEY", "sk-x");
        Map<String, String> env = StdioTransport.environment(TransportFactory.INHERITED_ENV, own,
                Map.of("API_TOKEN", "declared", "HOME", "/srv/upstream"));
        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/srv/upstream"),
                Map.entry("API_TOKEN", "declared"));
    }

    @Test
    void theProcessSeesNothingElse() throws Exception {
        Map<String, String> env = StdioTransport.environment(List.of("PATH"), System.getenv(), Map.of("ONLY_THIS", "1"));
        // a "server" that writes the names of its environment as one JSON-RPC notification
        String script = "printf '{\"jsonrpc\":\"2.0\",\"method\":\"env\",\"params\":{\"names\":\"%s\"}}\\n' "
                + "\"$(env | cut -d= -f1 | sort | tr '\\n' ' ')\"; sleep 5";
        StdioTransport transport = new StdioTransport("env-test",
                new Transport.Stdio("sh", List.of("-c", script), Map.of(), null), List.of("-c", script), env,
                new ReaderThreads(Thread::new));
        CompletableFuture<ObjectNode> message = FakeUpstream.firstMessage(transport);
        try {
            String names = message.get(10, TimeUnit.SECONDS).path("params").path("names").asText();
            // sh itself may add PWD, SHLVL and _; nothing of the JVM's environment besides PATH
            assertThat(names.split(" ")).isSubsetOf("PATH", "ONLY_THIS", "PWD", "SHLVL", "_").contains("PATH", "ONLY_THIS");
        } finally {
            transport.close();
        }
    }
}
