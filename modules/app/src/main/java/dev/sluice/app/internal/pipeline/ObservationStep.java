package dev.sluice.app.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.security.Redactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The outermost step: every call, whatever its outcome, counted and timed ({@link RequestMetrics})
 * and audited once, with the arguments redacted and digested (so that equal calls can be found
 * without storing what they said).
 */
final class ObservationStep implements PipelineStep {
    /** One line per call; an operator silences it with {@code dev.sluice.calls=warning} in the trace specification. */
    private static final java.util.logging.Logger CALLS = java.util.logging.Logger.getLogger("dev.sluice.calls");

    private final AuditLog audit;
    private final RequestMetrics metrics;

    ObservationStep(AuditLog audit, RequestMetrics metrics) {
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
            if (result.result().path("isError").asBoolean(false)) {
                outcome = "tool-error";
            }
            return result;
        } catch (SluiceException e) {
            outcome = outcome(e.kind());
            errorType = e.kind().slug();
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            errorType = ErrorKind.INTERNAL.slug();
            throw e;
        } finally {
            long nanos = System.nanoTime() - t0;
            // a resource read is counted as resources/read (a label per URI would be unbounded), a task's
            // calls as their method (polls are not calls of the tool)
            metrics.finished(call.server(), call.kind() == CallKind.TOOL || call.kind() == CallKind.PROMPT
                    ? call.target() : call.kind().method(),
                    outcome, errorType, nanos);
            long micros = nanos / 1000;
            if (CALLS.isLoggable(java.util.logging.Level.INFO)) {
                CALLS.info(callLine(call, outcome, errorType, micros, cacheHit));
            }
            JsonNode arguments = call.kind() == CallKind.TOOL ? call.arguments()
                    : call.params().get("arguments");
            var caller = call.caller();
            audit.record(new AuditEntry(call.requestId(), started, null, caller.subject(), caller.role(),
                    caller.apiKeyId(), caller.organisation(), call.channel().name(), call.kind().method(),
                    call.server(), call.target(), arguments == null ? null : digest(arguments),
                    arguments == null ? null : Json.write(Redactor.redact(arguments)), outcome, errorType, micros,
                    cacheHit, null));
        }
    }

    /** The call's log line: {@code call} and a JSON object (no arguments: they are in the audit trail, redacted). */
    private static String callLine(Call call, String outcome, String errorType, long micros, boolean cacheHit) {
        var line = Json.object().put("requestId", call.requestId()).put("subject", call.caller().subject())
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

    /** SHA-256 of the canonical (sorted-key) JSON of the arguments. */
    static String digest(JsonNode arguments) {
        try {
            byte[] canonical = Json.canonical(arguments).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
