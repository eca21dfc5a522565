package dev.sluice.security.internal;

import dev.sluice.core.Call;
import dev.sluice.core.CallResult;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SecretValues;
import dev.sluice.core.Step;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The masking step, for every kind of call, right around the upstream: a credential Sluice gave an
 * upstream (in its environment, headers or URL) that the upstream quotes in its answer (an
 * environment dump, a connection error) is masked before anything outside sees the answer, the
 * result cache included. Errors an upstream answers are masked where they are raised.
 */
@ApplicationScoped
@Step(Step.Stage.MASK)
public class MaskingStep implements PipelineStep {

    @Override
    public CallResult apply(Call call, Next next) {
        CallResult result = next.proceed(call);
        SecretValues.maskIn(result.result());
        return result;
    }
}
