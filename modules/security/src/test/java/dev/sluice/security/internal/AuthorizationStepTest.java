package dev.sluice.security.internal;

import static dev.sluice.security.internal.StepCalls.call;
import static dev.sluice.security.internal.StepCalls.caller;
import static dev.sluice.security.internal.StepCalls.reaching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.CallKind;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import dev.sluice.security.Authorization;
import dev.sluice.core.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthorizationStepTest {
    private static final ServerPolicy POLICY = new ServerPolicy(Set.of(), null, List.of(), Map.of(
            "drop_table", new ToolPolicy(ToolMode.WRITE, null, Set.of(), List.of(), List.of()),
            "query", new ToolPolicy(ToolMode.READ, null, Set.of(), List.of(), List.of())));

    private final AuthorizationStep step = new AuthorizationStep(new Authorization(Role.ANALYST, Role.ENGINEER));
    private final AtomicInteger reached = new AtomicInteger();

    @Test
    void aCallerBelowTheToolsModeIsRefusedAndTheUpstreamNeverSeesTheCall() {
        assertThatThrownBy(() -> step.apply(call(CallKind.TOOL, caller("analyst"), "drop_table", Json.object(), null,
                POLICY), reaching(reached, Json.object())))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("drop_table").contains("engineer");
                });
        assertThat(reached).hasValue(0);
        step.apply(call(CallKind.TOOL, caller("engineer"), "drop_table", Json.object(), null, POLICY),
                reaching(reached, Json.object()));
        assertThat(reached).hasValue(1);
    }

    @Test
    void aTasksFollowUpIsDecidedAsTheToolThatStartedIt() {
        // an analyst who could not start the write tool's task cannot poll or cancel one either
        for (CallKind kind : new CallKind[] {CallKind.TASK_GET, CallKind.TASK_UPDATE, CallKind.TASK_CANCEL}) {
            assertThatThrownBy(() -> step.apply(call(kind, caller("analyst"), "drop_table", Json.object(), null, POLICY),
                    reaching(reached, Json.object()))).isInstanceOf(SluiceException.class);
        }
        step.apply(call(CallKind.TASK_GET, caller("analyst"), "query", Json.object(), null, POLICY),
                reaching(reached, Json.object()));
        assertThat(reached).hasValue(1);
    }

    @Test
    void aKeysScopeLimitsCompletionsAndSubscriptionsButNotTheServersLogLevel() {
        var scoped = caller("admin", "db/query");
        assertThatThrownBy(() -> step.apply(call(CallKind.SUBSCRIBE, scoped, "file:///secrets", Json.object(), null,
                POLICY), reaching(reached, Json.object()))).isInstanceOf(SluiceException.class);
        assertThatThrownBy(() -> step.apply(call(CallKind.PROMPT_COMPLETION, scoped, "other_prompt", Json.object(), null,
                POLICY), reaching(reached, Json.object()))).isInstanceOf(SluiceException.class);
        step.apply(call(CallKind.LOG_LEVEL, scoped, "debug", Json.object(), null, POLICY), reaching(reached, Json.object()));
        assertThat(reached).hasValue(1);
    }

    @Test
    void aServerClosedToTheRoleRefusesEveryKind() {
        ServerPolicy adminsOnly = new ServerPolicy(Set.of("admin"), null, List.of(), Map.of());
        for (CallKind kind : CallKind.values()) {
            assertThatThrownBy(() -> step.apply(call(kind, caller("engineer"), "x", Json.object(), null, adminsOnly),
                    reaching(reached, Json.object()))).as(kind.name()).isInstanceOf(SluiceException.class);
        }
        assertThat(reached).hasValue(0);
    }
}
