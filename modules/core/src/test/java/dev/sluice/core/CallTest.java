package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallTest {

    private static Call toolCall(String arguments) {
        ObjectNode params = Json.object().put("name", "query");
        params.set("arguments", Json.parse(arguments));
        return new Call("req-1", CallKind.TOOL, Caller.ANONYMOUS, "pg", "query", params, ClientChannel.unattended("mcp"),
                Json.object(), ServerPolicy.OPEN);
    }

    @Test
    void theArgumentsCanonicalBytesAreTheSortedJsonWhateverTheOrderTheClientSentAndAreComputedOnce() {
        Call one = toolCall("{\"sql\": \"select 1\", \"limit\": {\"b\": 2, \"a\": 1}}");
        Call other = toolCall("{\"limit\":{\"a\":1,\"b\":2},\"sql\":\"select 1\"}");

        assertThat(new String(one.canonicalArguments(), StandardCharsets.UTF_8))
                .isEqualTo("{\"limit\":{\"a\":1,\"b\":2},\"sql\":\"select 1\"}");
        assertThat(one.canonicalArguments()).isEqualTo(other.canonicalArguments());
        assertThat(one.canonicalArguments()).as("the cache key and the audit digest hash the same bytes")
                .isSameAs(one.canonicalArguments());
    }

    @Test
    void aToolCallWithoutArgumentsHasTheEmptyObjectsBytes() {
        Call call = new Call("req-2", CallKind.TOOL, Caller.ANONYMOUS, "pg", "ping", Json.object().put("name", "ping"),
                ClientChannel.unattended("mcp"), Json.object(), ServerPolicy.OPEN);
        assertThat(new String(call.canonicalArguments(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
