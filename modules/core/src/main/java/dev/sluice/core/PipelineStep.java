package dev.sluice.core;

/**
 * One step of the tool-call pipeline. A step either passes the call on ({@code next.proceed(call)},
 * possibly with a changed call) or answers it itself: a refusal (by throwing a
 * {@link SluiceException}) or a result (a cached one, say). Steps are assembled in one place, in
 * the app module, in the order the architecture names.
 */
@FunctionalInterface
public interface PipelineStep {

    CallResult apply(Call call, Next next);

    /** The rest of the pipeline after a step. */
    @FunctionalInterface
    interface Next {
        CallResult proceed(Call call);
    }
}
