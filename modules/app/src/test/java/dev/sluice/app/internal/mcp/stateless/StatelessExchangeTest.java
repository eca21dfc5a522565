package dev.sluice.app.internal.mcp.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Json;
import org.junit.jupiter.api.Test;

class StatelessExchangeTest {

    @Test
    void aVersionInMetaClaimsTheStatelessEra() {
        assertThat(StatelessExchange.claims(Json.parse("""
                {"jsonrpc":"2.0","id":1,"method":"tools/list",
                 "params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"""), null)).isTrue();
    }

    @Test
    void aHeaderNamingAVersionBeyondTheSessionEraClaimsItToo() {
        String bare = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        assertThat(StatelessExchange.claims(Json.parse(bare), "2026-07-28")).isTrue();
        assertThat(StatelessExchange.claims(Json.parse(bare), "2099-01-01")).as("refused later, as unsupported").isTrue();
    }

    @Test
    void sessionEraRequestsDoNotClaimIt() {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}";
        assertThat(StatelessExchange.claims(Json.parse(init), null)).isFalse();
        for (String version : new String[] {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", " ", ""}) {
            assertThat(StatelessExchange.claims(Json.parse(init), version)).as(version).isFalse();
        }
        // _meta without the version key (a progress token, say) is not a claim
        assertThat(StatelessExchange.claims(Json.parse("""
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":1}}}"""),
                "2025-11-25")).isFalse();
        assertThat(StatelessExchange.claims(Json.parse("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"), null))
                .isFalse();
    }
}
