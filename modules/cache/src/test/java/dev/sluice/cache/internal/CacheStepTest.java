package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheStepTest {
    private static final Caller ADA = new Caller("ada", "engineer", null, Set.of(), null, Set.of());
    private static final ServerPolicy POLICY = new ServerPolicy(Set.of(), null, List.of(), Map.of(
            "query", new ToolPolicy(ToolMode.READ, null, Set.of(), List.of(), List.of()),
            "insert", new ToolPolicy(ToolMode.WRITE, null, Set.of(), List.of(), List.of())));

    private final CacheStep step = new CacheStep(new CacheEngine(null, new CacheSettings(Map.of(), 64 * 1024,
            16L * 1024 * 1024), Clock.systemUTC()), true, Duration.ZERO, Clock.systemUTC());
    private final AtomicInteger reached = new AtomicInteger();

    private static Call call(CallKind kind, String tool, String arguments) {
        ObjectNode params = Json.object().put("name", tool);
        params.set("arguments", Json.parse(arguments));
        return new Call("req", kind, ADA, "db", tool, params, null, null, POLICY);
    }

    private PipelineStep.Next upstream(ObjectNode answer) {
        return c -> {
            reached.incrementAndGet();
            return CallResult.of(answer.deepCopy());
        };
    }

    private static ObjectNode text(String t) {
        ObjectNode r = Json.object();
        r.putArray("content").addObject().put("type", "text").put("text", t);
        return r;
    }

    @Test
    void aReadToolsSecondIdenticalCallIsAnsweredFromTheCache() {
        CallResult first = step.apply(call(CallKind.TOOL, "query", "{\"q\":1}"), upstream(text("one")));
        CallResult second = step.apply(call(CallKind.TOOL, "query", "{\"q\":1}"), upstream(text("two")));
        assertThat(first.cache()).isEqualTo(CallResult.Cache.MISS);
        assertThat(second.cache()).isEqualTo(CallResult.Cache.HIT);
        assertThat(second.result().toString()).contains("one");
        assertThat(reached).hasValue(1);
    }

    @Test
    void aWriteToolIsNeverCachedAndClearsItsServersEntries() {
        step.apply(call(CallKind.TOOL, "query", "{}"), upstream(text("before")));
        CallResult write = step.apply(call(CallKind.TOOL, "insert", "{}"), upstream(text("written")));
        CallResult after = step.apply(call(CallKind.TOOL, "query", "{}"), upstream(text("after")));
        assertThat(write.cache()).isEqualTo(CallResult.Cache.NONE);
        assertThat(after.cache()).isEqualTo(CallResult.Cache.MISS);
        assertThat(after.result().toString()).contains("after");
    }

    @Test
    void aTaskAToolErrorAndOtherKindsAreNeverStored() {
        ObjectNode task = Json.object().put("resultType", "task").put("taskId", "t-1").put("status", "working");
        step.apply(call(CallKind.TOOL, "query", "{\"slow\":true}"), upstream(task));
        assertThat(step.apply(call(CallKind.TOOL, "query", "{\"slow\":true}"), upstream(text("done"))).cache())
                .as("a task is the caller's own, not a result").isEqualTo(CallResult.Cache.MISS);

        ObjectNode error = text("boom").put("isError", true);
        step.apply(call(CallKind.TOOL, "query", "{\"bad\":true}"), upstream(error));
        assertThat(step.apply(call(CallKind.TOOL, "query", "{\"bad\":true}"), upstream(text("ok"))).cache())
                .isEqualTo(CallResult.Cache.MISS);

        assertThat(step.apply(call(CallKind.TASK_GET, "query", "{}"), upstream(text("x"))).cache())
                .isEqualTo(CallResult.Cache.NONE);
        assertThat(step.apply(call(CallKind.TASK_GET, "query", "{}"), upstream(text("x"))).cache())
                .isEqualTo(CallResult.Cache.NONE);
    }

    @Test
    void anExpiredEntryAnswersMarkedStaleWhileTheUpstreamIsDown_whenThePolicyAllows() {
        CacheStep stale = new CacheStep(new CacheEngine(null, new CacheSettings(Map.of(), 64 * 1024, 1 << 24),
                Clock.systemUTC()), true, Duration.ofMinutes(5), Clock.systemUTC());
        ServerPolicy shortLived = new ServerPolicy(Set.of(), ToolMode.READ, List.of(), Map.of(),
                new dev.sluice.core.CachePolicy(true, null, Duration.ofMillis(1), Duration.ofMinutes(5), null));
        ObjectNode params = Json.object().put("name", "query");
        Call call = new Call("req", CallKind.TOOL, ADA, "db", "query", params, null, null, shortLived);
        stale.apply(call, upstream(text("kept")));
        sleep(20);
        CallResult answered = stale.apply(call, c -> {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "down");
        });
        assertThat(answered.cache()).isEqualTo(CallResult.Cache.STALE);
        assertThat(answered.result().path("_meta").path("dev.sluice/cache").path("stale").asBoolean()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
