package dev.sluice.observability.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.CallMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outermost step, for every kind of call: each one, whatever its outcome, counted and timed
 * ({@link CallMetrics}: by server and tool or prompt, by method for the rest), logged in one line,
 * and audited once under its request's id with its arguments redacted and digested. What the inner
 * steps did is counted here too: how the cache answered (from the result) and which budget refused
 * (from the refusal).
 */
@ApplicationScoped
@Step(Step.Stage.OBSERVE)
public class ObservationStep implements PipelineStep {
    /** One line per call; an operator silences it with {@code dev.sluice.calls=warning} in the trace specification. */
    private static final Logger CALLS = Logger.getLogger("dev.sluice.calls");

    @Inject
    AuditLog audit;

    @Inject
    CallMetrics metrics;

    public ObservationStep() {
    }

    ObservationStep(AuditLog audit, CallMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String outcome = "ok";
        String errorType = null;
        boolean cacheHit = false;
        metrics.started(call.server());
        try {
            audit.admit(); // a call whose record could not be kept is refused (spool full, policy refuse)
            CallResult result = next.proceed(call);
            cacheHit = result.cached();
            if (result.cache() != CallResult.Cache.NONE) {
                metrics.cacheLookup(call.server(), call.target(), result.cache() == CallResult.Cache.HIT,
                        result.cache() == CallResult.Cache.STALE);
            }
            if (result.isToolError()) {
                outcome = "tool-error";
            }
            return result;
        } catch (SluiceException e) {
            outcome = outcome(e.kind());
            errorType = e.kind().slug();
            if (e.kind() == ErrorKind.RATE_LIMITED) {
                metrics.rateLimited(e.data().map(d -> d.path("scope").asText("user")).orElse("user"), call.server());
            }
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            errorType = ErrorKind.INTERNAL.slug();
            throw e;
        } finally {
            long nanos = System.nanoTime() - t0;
            metrics.finished(call.server(), label(call), outcome, errorType, nanos);
            long micros = nanos / 1000;
            if (CALLS.isLoggable(Level.INFO)) {
                CALLS.info(callLine(call, outcome, errorType, micros, cacheHit));
            }
            audit.record(AuditEntry.ofCall(call, started, outcome, errorType, micros, cacheHit));
        }
    }

    /**
     * The {@code tool} label of a call's metrics: the tool or prompt name; the method for the rest (a
     * label per resource URI would be unbounded, and a task's polls are not calls of its tool).
     */
    static String label(Call call) {
        return call.kind() == CallKind.TOOL || call.kind() == CallKind.PROMPT ? call.target() : call.kind().method();
    }

    /** The call's log line: {@code call} and a JSON object (no arguments: they are in the audit trail, redacted). */
    static String callLine(Call call, String outcome, String errorType, long micros, boolean cacheHit) {
        JsonNode line = Json.object().put("requestId", call.requestId()).put("subject", call.caller().subject())
                .put("channel", call.channel().name()).put("action", call.kind().method()).put("server", call.server())
                .put("target", call.target()).put("status", outcome).put("errorType", errorType)
                .put("durationMs", micros / 1000.0).put("cacheHit", cacheHit);
        return "call " + Json.write(line);
    }

    static String outcome(ErrorKind kind) {
        return switch (kind) {
            case FORBIDDEN -> "denied";
            case UNAUTHENTICATED -> "unauthenticated";
            case RATE_LIMITED -> "rate-limited";
            case INVALID_ARGUMENTS, SQL_REFUSED, COMMAND_ARGUMENT_REFUSED, INVALID_PARAMS -> "invalid";
            default -> "error";
        };
    }
}
