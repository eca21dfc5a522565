package dev.sluice.core;

import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a {@link PipelineStep} bean by its place in the pipeline. Each step lives in the
 * {@code internal} package of the module that owns its concern and is found by this qualifier, so the
 * app assembles the pipeline without seeing the steps' classes.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Step {
    Stage value();

    /** The steps, in the order every call crosses them. */
    enum Stage {
        /** Metrics, the call log and the audit trail (observability). */
        OBSERVE,
        /** Who may make the call (security). */
        AUTHORISE,
        /** The caller's budgets (cache). */
        RATE_LIMIT,
        /** A tool call's arguments (security). */
        VALIDATE,
        /** A read tool's stored result (cache). */
        CACHE,
        /** Credentials an upstream quotes (security). */
        MASK,
        /** The upstream, under its fault tolerance (registry). */
        INVOKE
    }
}
