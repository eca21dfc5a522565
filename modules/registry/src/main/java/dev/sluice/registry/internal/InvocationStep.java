package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.Step;
import dev.sluice.core.ToolMode;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The innermost step, for every kind of call: the call's method goes to its upstream under the
 * server's fault tolerance (timeout, circuit breaker, bulkhead, and retries for what may be
 * repeated). An error the upstream answers becomes an {@link UpstreamErrorException}; it never
 * passes the call on, it ends the pipeline.
 */
@ApplicationScoped
@Step(Step.Stage.INVOKE)
public class InvocationStep implements PipelineStep {

    @Inject
    Upstreams upstreams;

    public InvocationStep() {
    }

    InvocationStep(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        ObjectNode answer = upstreams.call(call.server(), call.kind().method(), call.params(), call.channel(),
                idempotent(call));
        if (answer.get("error") instanceof ObjectNode error) {
            throw new UpstreamErrorException(call.server(), error);
        }
        return CallResult.of(answer.get("result") instanceof ObjectNode r ? r : Json.object());
    }

    /**
     * Whether a call may be tried again when its upstream could not be reached: a tool when the
     * catalog marks it {@code idempotent}, else when it reads; a task's answers never (they may be
     * taken once only); everything else always (reads, prompt gets, completions, subscriptions, a
     * log level, a task's status or cancellation).
     */
    static boolean idempotent(Call call) {
        return switch (call.kind()) {
            case TOOL -> call.toolPolicy().idempotent() != null ? call.toolPolicy().idempotent()
                    : call.mode() == ToolMode.READ;
            case TASK_UPDATE -> false;
            default -> true;
        };
    }
}
