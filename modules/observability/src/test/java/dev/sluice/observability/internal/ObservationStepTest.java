package dev.sluice.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import dev.sluice.observability.CallMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObservationStepTest {
    private static final Caller ADA = new Caller("ada", "engineer", "acme", Set.of(), "key-1", Set.of());

    private final List<AuditEntry> records = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();

    private final AuditLog audit = new AuditLog() {
        @Override
        public void record(AuditEntry entry) {
            records.add(entry);
        }

        @Override
        public void flush() {
        }

        @Override
        public AuditPage search(AuditQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long deleteBefore(Instant before) {
            return 0;
        }
    };

    private final CallMetrics metrics = new CallMetrics() {
        @Override
        public void started(String server) {
        }

        @Override
        public void finished(String server, String tool, String status, String errorType, long nanos) {
            counted.add(server + " " + tool + " " + status + (errorType == null ? "" : " " + errorType));
        }

        @Override
        public void cacheLookup(String server, String tool, boolean hit, boolean stale) {
            counted.add("cache " + (hit ? "hit" : stale ? "stale" : "miss"));
        }

        @Override
        public void rateLimited(String scope, String server) {
            counted.add("rate-limited " + scope);
        }
    };

    private final ObservationStep step = new ObservationStep(audit, metrics);

    private static Call call(CallKind kind, String target, String arguments) {
        ObjectNode params = Json.object().put("name", target);
        params.set("arguments", Json.parse(arguments));
        return new Call("req-42", kind, ADA, "db", target, params, null, null, ServerPolicy.OPEN);
    }

    @Test
    void aCallIsAuditedOnceUnderItsRequestsIdWithItsArgumentsRedactedAndCounted() {
        step.apply(call(CallKind.TOOL, "query", "{\"sql\":\"SELECT 1\",\"password\":\"hunter22\"}"),
                c -> CallResult.of(Json.object()));
        assertThat(records).hasSize(1);
        AuditEntry e = records.get(0);
        assertThat(e.requestId()).isEqualTo("req-42");
        assertThat(e.action()).isEqualTo("tools/call");
        assertThat(e.subject()).isEqualTo("ada");
        assertThat(e.apiKeyId()).isEqualTo("key-1");
        assertThat(e.outcome()).isEqualTo("ok");
        assertThat(e.argumentsRedacted()).contains("SELECT 1").doesNotContain("hunter22");
        assertThat(e.argumentDigest()).hasSize(64);
        assertThat(counted).containsExactly("db query ok");
    }

    @Test
    void aRefusalIsAuditedAndCountedByItsKindAndRethrown() {
        assertThatThrownBy(() -> step.apply(call(CallKind.TOOL, "drop", "{}"), c -> {
            throw new SluiceException(ErrorKind.FORBIDDEN, "no");
        })).isInstanceOf(SluiceException.class);
        assertThatThrownBy(() -> step.apply(call(CallKind.SUBSCRIBE, "file:///a", "{}"), c -> {
            throw new SluiceException(ErrorKind.RATE_LIMITED, "spent", Json.object().put("scope", "organisation"), null);
        })).isInstanceOf(SluiceException.class);
        assertThat(records).extracting(AuditEntry::outcome).containsExactly("denied", "rate-limited");
        assertThat(records).extracting(AuditEntry::action).containsExactly("tools/call", "resources/subscribe");
        assertThat(counted).containsExactly("db drop denied forbidden", "rate-limited organisation",
                "db resources/subscribe rate-limited rate-limited");
    }

    @Test
    void theCachesAnswerIsCountedAndAudited_aToolErrorIsItsOwnOutcome() {
        step.apply(call(CallKind.TOOL, "query", "{}"),
                c -> CallResult.of(Json.object()).withCache(CallResult.Cache.HIT));
        step.apply(call(CallKind.TOOL, "query", "{}"),
                c -> CallResult.of(Json.object().put("isError", true)).withCache(CallResult.Cache.MISS));
        assertThat(records).extracting(AuditEntry::cacheHit).containsExactly(true, false);
        assertThat(records).extracting(AuditEntry::outcome).containsExactly("ok", "tool-error");
        assertThat(counted).containsExactly("cache hit", "db query ok", "cache miss", "db query tool-error");
    }

    @Test
    void callsThatAreNotToolCallsOrPromptGetsAreLabelledByTheirMethod() {
        assertThat(ObservationStep.label(call(CallKind.TASK_GET, "slow_compute", "{}"))).isEqualTo("tasks/get");
        assertThat(ObservationStep.label(call(CallKind.RESOURCE, "file:///x", "{}"))).isEqualTo("resources/read");
        assertThat(ObservationStep.label(call(CallKind.PROMPT, "greet", "{}"))).isEqualTo("greet");
        assertThat(ObservationStep.label(call(CallKind.LOG_LEVEL, "debug", "{}"))).isEqualTo("logging/setLevel");
    }
}
