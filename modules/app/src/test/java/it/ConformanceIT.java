package it;

import it.support.ConformanceSuite;
import it.support.Gateway;
import it.support.SluiceNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, server mode, every
 * scenario) against Sluice, with the conformance fixture as the only upstream of the unprefixed
 * virtual server {@code conformance}. The fixture is a separate process Sluice reaches over stdio, so
 * the suite measures Sluice's own transport and its pass-through (sampling, elicitation, progress,
 * logging). This node releases answer streams after 100 ms so that the suite's resumption scenario
 * exercises Last-Event-ID.
 */
class ConformanceIT {
    private static final int PORT = 9183;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.start("sluice-conformance", PORT, Map.of(
                "SLUICE_MCP_STREAM_AFTER", "PT0.05S",
                "SLUICE_MCP_RELEASE_STREAM_AFTER", "PT0.1S",
                // the suite's client sends no credentials: this test-only node admits anonymous callers
                "SLUICE_SECURITY_ANONYMOUS_ROLE", "engineer"));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void everyCheckOfTheSuitePasses() {
        // the fixture alone passes 47, one of them INFO through a gateway
        ConformanceSuite.passesAgainst("http://localhost:" + PORT + "/mcp/conformance", 46);
    }
}
