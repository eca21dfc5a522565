package dev.sluice.security.internal;

import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.Step;
import dev.sluice.security.Authorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The authorisation step, for every kind of call: the caller's role against the server's allowed
 * roles and rules and the tool's mode, the API key's scope against the target. A task's calls are
 * decided as the tool that started the task, a completion as its prompt or resource, a subscription
 * as a read ({@link dev.sluice.core.CallKind#actsOn()}). A refusal never reaches the upstream.
 */
@ApplicationScoped
@Step(Step.Stage.AUTHORISE)
public class AuthorizationStep implements PipelineStep {

    @Inject
    Authorization authorization;

    public AuthorizationStep() {
    }

    AuthorizationStep(Authorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        authorization.authorize(call);
        return next.proceed(call);
    }
}
