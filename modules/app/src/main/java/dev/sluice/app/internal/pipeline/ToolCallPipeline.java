package dev.sluice.app.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.cache.RateLimiter;
import dev.sluice.cache.ResultCache;
import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SecretValues;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.observability.AuditLog;
import dev.sluice.registry.Upstreams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one place the tool-call pipeline is assembled. Every tools/call, resources/read and
 * prompts/get, from MCP or REST, runs through these steps in this order:
 *
 * <ol>
 *   <li>metrics and audit (outermost, so they see refused calls too) — observability</li>
 *   <li>authentication (done for the whole request before the pipeline, by the HTTP filter, which
 *       leaves the caller on the call) and authorisation — security</li>
 *   <li>rate limit — cache</li>
 *   <li>argument validation: input schema, SQL policy, command-line arguments — security</li>
 *   <li>result cache — cache</li>
 *   <li>invocation with fault tolerance (innermost) — registry</li>
 * </ol>
 */
@ApplicationScoped
public class ToolCallPipeline {

    @Inject
    Upstreams upstreams;

    @Inject
    AuditLog audit;

    @Inject
    AccessControl access;

    @Inject
    ArgumentChecks argumentChecks;

    @Inject
    ResultCache cache;

    @Inject
    RateLimiter limiter;

    @Inject
    RateLimitPolicy rateLimits;

    @Inject
    PipelineMetrics metrics;

    @Inject
    RequestMetrics requestMetrics;

    @Inject
    @ConfigProperty(name = "sluice.cache.enabled", defaultValue = "true")
    boolean cacheEnabled;

    @Inject
    @ConfigProperty(name = "sluice.cache.read-tools", defaultValue = "true")
    boolean cacheReadTools;

    @Inject
    @ConfigProperty(name = "sluice.cache.stale-if-error", defaultValue = "PT0S")
    Duration staleIfError;

    private List<PipelineStep> steps;

    @PostConstruct
    void assemble() {
        List<PipelineStep> all = new ArrayList<>(List.of(
                new ObservationStep(audit, requestMetrics),
                (call, next) -> {
                    access.authorize(call);
                    return next.proceed(call);
                },
                new RateLimitStep(limiter, rateLimits, metrics),
                (call, next) -> {
                    argumentChecks.check(call);
                    return next.proceed(call);
                }));
        if (cacheEnabled) {
            all.add(new CacheStep(cache, access::policy, metrics, cacheReadTools, staleIfError, Clock.systemUTC()));
        }
        steps = List.copyOf(all);
    }

    public CallResult run(Call call) {
        return proceed(steps, 0, call);
    }

    /**
     * Runs a call with one more check, placed right after metrics and audit (so that its refusals are
     * counted and audited like any other): an agent's tool subset, for one.
     */
    public CallResult run(Call call, PipelineStep guard) {
        List<PipelineStep> with = new ArrayList<>(steps);
        with.add(1, guard);
        return proceed(with, 0, call);
    }

    private CallResult proceed(List<PipelineStep> chain, int index, Call call) {
        if (index == chain.size()) {
            return invoke(call);
        }
        return chain.get(index).apply(call, next -> proceed(chain, index + 1, next));
    }

    /** The innermost step: the call goes to its upstream, under the server's fault tolerance. */
    private CallResult invoke(Call call) {
        ObjectNode answer = upstreams.call(call.server(), call.kind().method(), call.params(), call.channel(),
                idempotent(call));
        if (answer.get("error") instanceof ObjectNode error) {
            throw new UpstreamErrorException(call.server(), error);
        }
        ObjectNode result = answer.get("result") instanceof ObjectNode r ? r : dev.sluice.core.Json.object();
        // an upstream may quote a credential Sluice gave it (an environment dump, a connection error)
        SecretValues.maskIn(result);
        return CallResult.of(result);
    }

    /**
     * Whether a call may be retried when its upstream could not be reached: resource reads and prompt
     * gets always; a tool when the catalog marks it {@code idempotent}, else when it is a read tool.
     */
    private boolean idempotent(Call call) {
        if (call.kind() != dev.sluice.core.CallKind.TOOL) {
            return true;
        }
        dev.sluice.core.ServerPolicy policy = access.policy(call.server());
        Boolean marked = policy.tool(call.target()).idempotent();
        if (marked != null) {
            return marked;
        }
        return dev.sluice.security.Authorizer.mode(policy, call.target(), call.definition()) == dev.sluice.core.ToolMode.READ;
    }
}
