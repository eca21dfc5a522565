package dev.sluice.security.internal;

import static dev.sluice.security.internal.StepCalls.call;
import static dev.sluice.security.internal.StepCalls.caller;
import static dev.sluice.security.internal.StepCalls.reaching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.CallKind;
import dev.sluice.core.Json;
import dev.sluice.core.SecretValues;
import dev.sluice.core.ServerPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MaskingStepTest {

    @Test
    void aCredentialTheUpstreamQuotesNeverLeaves_inAnyKindOfAnswer() {
        String secret = "pg-pass-" + System.nanoTime();
        SecretValues.register(secret);
        for (CallKind kind : new CallKind[] {CallKind.TOOL, CallKind.RESOURCE, CallKind.TASK_GET}) {
            ObjectNode answer = Json.object();
            answer.putArray("content").addObject().put("type", "text").put("text", "connect failed for " + secret);
            answer.putObject("result").put("env", "PGPASSWORD=" + secret);
            ObjectNode masked = new MaskingStep().apply(call(kind, caller("viewer"), "t", Json.object(), null,
                    ServerPolicy.OPEN), reaching(new AtomicInteger(), answer)).result();
            assertThat(masked.toString()).as(kind.name()).doesNotContain(secret).contains("connect failed for");
        }
    }
}
