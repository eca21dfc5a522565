package dev.sluice.app.internal.pipeline;

import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import dev.sluice.core.Step.Stage;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The one place the pipeline is assembled. Every call that reaches an upstream crosses it — tool
 * calls, resource reads, prompt gets, completions, subscriptions, log levels and a task's follow-ups,
 * from MCP, REST or an agent — after authentication (the HTTP filter, which leaves the caller on the
 * request and audits its own refusals). Each step is a class in the module that owns its concern,
 * found by its {@link Step} qualifier; it passes the call on or answers it (a refusal, a stored
 * result), and says itself which kinds of call it acts on.
 */
@ApplicationScoped
public class ToolCallPipeline {

    @Inject @Step(Stage.OBSERVE) PipelineStep observe;
    @Inject @Step(Stage.AUTHORISE) PipelineStep authorise;
    @Inject @Step(Stage.RATE_LIMIT) PipelineStep rateLimit;
    @Inject @Step(Stage.VALIDATE) PipelineStep validate;
    @Inject @Step(Stage.CACHE) PipelineStep cache;
    @Inject @Step(Stage.MASK) PipelineStep mask;
    @Inject @Step(Stage.INVOKE) PipelineStep invoke;

    private List<PipelineStep> steps;

    @PostConstruct
    void assemble() {
        steps = List.of(
                observe,    // observability: metrics, call log, audit — outermost, so refusals are counted too
                authorise,  // security: roles, rules, key scope, tool mode — before anything is spent
                rateLimit,  // cache: the caller's, organisation's and tool's budgets
                validate,   // security: a tool's arguments — schema, SQL guard, command-line words
                cache,      // cache: a read tool's stored result answers; a write clears its server's
                mask,       // security: credentials an upstream quotes — before the cache keeps a result
                invoke);    // registry: the upstream, under its fault tolerance — ends the pipeline
    }

    public CallResult run(Call call) {
        return proceed(steps, 0, call);
    }

    /**
     * Refuses a call that the pipeline cannot decide on its own (a tool outside an agent role's subset,
     * say): the refusal passes the observation step only, so that it is counted, logged and audited like
     * any other, and nothing else runs.
     */
    public CallResult refuse(Call call, SluiceException refusal) {
        return observe.apply(call, c -> {
            throw refusal;
        });
    }

    private static CallResult proceed(List<PipelineStep> chain, int index, Call call) {
        // the last step (invoke) never calls next: past the end there is nothing
        return chain.get(index).apply(call, next -> proceed(chain, index + 1, next));
    }
}
