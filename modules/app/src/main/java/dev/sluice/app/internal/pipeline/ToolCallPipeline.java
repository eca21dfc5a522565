package dev.sluice.app.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Upstreams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The one place the tool-call pipeline is assembled. Every tools/call, resources/read and
 * prompts/get, from MCP or REST, runs through these steps in this order:
 *
 * <ol>
 *   <li>metrics and audit (outermost, so they see refused calls too) — observability</li>
 *   <li>authentication, authorisation — security</li>
 *   <li>rate limit — cache</li>
 *   <li>argument validation — security</li>
 *   <li>result cache — cache</li>
 *   <li>invocation with fault tolerance (innermost) — registry</li>
 * </ol>
 *
 * Steps 1 to 5 land with their capabilities; until then the list below holds what exists.
 */
@ApplicationScoped
public class ToolCallPipeline {

    @Inject
    Upstreams upstreams;

    private List<PipelineStep> steps;

    @PostConstruct
    void assemble() {
        steps = List.of(
        // metrics ▸ audit ▸ authenticate ▸ authorise ▸ rate-limit ▸ validate ▸ cache are added here, in this order
        );
    }

    public CallResult run(Call call) {
        return proceed(0, call);
    }

    private CallResult proceed(int index, Call call) {
        if (index == steps.size()) {
            return invoke(call);
        }
        return steps.get(index).apply(call, next -> proceed(index + 1, next));
    }

    /** The innermost step: the call goes to its upstream. */
    private CallResult invoke(Call call) {
        ObjectNode answer = upstreams.request(call.server(), call.kind().method(), call.params(), call.channel());
        if (answer.get("error") instanceof ObjectNode error) {
            throw new UpstreamErrorException(call.server(), error);
        }
        return CallResult.of(answer.get("result") instanceof ObjectNode r ? r : dev.sluice.core.Json.object());
    }
}
