package dev.sluice.security.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.ServerPolicy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls and a counting upstream for the security steps' tests. */
final class StepCalls {
    private StepCalls() {
    }

    static Caller caller(String role, String... scope) {
        return new Caller("ada", role, null, Set.of(), null, Set.of(scope));
    }

    static Call call(CallKind kind, Caller caller, String target, ObjectNode params, ObjectNode definition,
            ServerPolicy policy) {
        return new Call("req-7", kind, caller, "db", target, params, null, definition, policy);
    }

    static ObjectNode arguments(String json) {
        ObjectNode params = Json.object().put("name", "t");
        params.set("arguments", Json.parse(json));
        return params;
    }

    /** The rest of the pipeline: counts the calls that reach it and answers {@code result}. */
    static PipelineStep.Next reaching(AtomicInteger reached, ObjectNode result) {
        return c -> {
            reached.incrementAndGet();
            return CallResult.of(result);
        };
    }
}
