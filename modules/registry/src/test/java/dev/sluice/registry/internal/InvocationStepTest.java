package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Upstreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvocationStepTest {
    private static final ServerPolicy POLICY = new ServerPolicy(Set.of(), null, List.of(), Map.of(
            "insert", new ToolPolicy(ToolMode.WRITE, null, Set.of(), List.of(), List.of()),
            "upsert", new ToolPolicy(ToolMode.WRITE, null, Set.of(), List.of(), List.of(), null, true),
            "query", new ToolPolicy(ToolMode.READ, null, Set.of(), List.of(), List.of())));

    /** What the step sent, and the answer it gets. */
    private final List<String> sent = new ArrayList<>();
    private ObjectNode answer = Json.object();

    private final Upstreams upstreams = new StubUpstreams() {
        @Override
        public ObjectNode call(String server, String method, ObjectNode params, ClientChannel channel,
                boolean idempotent) {
            sent.add(server + " " + method + " " + params.path("name").asText(params.path("taskId").asText()) + " "
                    + idempotent);
            return answer;
        }
    };

    private static Call call(CallKind kind, String target, ObjectNode params) {
        return new Call("req", kind, Caller.ANONYMOUS, "db", target, params, null, null, POLICY);
    }

    @Test
    void theCallsMethodGoesToItsUpstreamAndItsResultComesBack() {
        answer = (ObjectNode) Json.parse("{\"result\":{\"content\":[]}}");
        ObjectNode result = new InvocationStep(upstreams).apply(call(CallKind.TOOL, "query",
                Json.object().put("name", "query")), c -> {
                    throw new AssertionError("the innermost step passes nothing on");
                }).result();
        assertThat(result.has("content")).isTrue();
        assertThat(sent).containsExactly("db tools/call query true");
    }

    @Test
    void anErrorTheUpstreamAnswersBecomesAnUpstreamError() {
        answer = (ObjectNode) Json.parse("{\"error\":{\"code\":-32602,\"message\":\"no such table\"}}");
        assertThatThrownBy(() -> new InvocationStep(upstreams).apply(call(CallKind.TASK_GET, "query",
                Json.object().put("taskId", "t-1")), null)).isInstanceOf(UpstreamErrorException.class)
                .hasMessageContaining("no such table");
        assertThat(sent).containsExactly("db tasks/get t-1 true");
    }

    @Test
    void onlyWhatMayBeRepeatedIsRetried() {
        assertThat(InvocationStep.idempotent(call(CallKind.TOOL, "query", Json.object()))).as("a read").isTrue();
        assertThat(InvocationStep.idempotent(call(CallKind.TOOL, "insert", Json.object()))).as("a write").isFalse();
        assertThat(InvocationStep.idempotent(call(CallKind.TOOL, "upsert", Json.object()))).as("marked").isTrue();
        assertThat(InvocationStep.idempotent(call(CallKind.TASK_UPDATE, "query", Json.object()))).isFalse();
        assertThat(InvocationStep.idempotent(call(CallKind.TASK_CANCEL, "insert", Json.object()))).isTrue();
        assertThat(InvocationStep.idempotent(call(CallKind.SUBSCRIBE, "file:///a", Json.object()))).isTrue();
    }
}
