package dev.sluice.security.internal;

import static dev.sluice.security.internal.StepCalls.arguments;
import static dev.sluice.security.internal.StepCalls.call;
import static dev.sluice.security.internal.StepCalls.caller;
import static dev.sluice.security.internal.StepCalls.reaching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.CallKind;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import dev.sluice.security.SqlPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ArgumentValidationStepTest {
    private static final ServerPolicy POLICY = new ServerPolicy(Set.of(), null, List.of(), Map.of(
            "query", new ToolPolicy(ToolMode.READ, "sql", Set.of(), List.of(), List.of()),
            "run", new ToolPolicy(ToolMode.WRITE, null, Set.of(), List.of("model"), List.of())));
    private static final ObjectNode SCHEMA_TOOL = (ObjectNode) Json.parse("""
            {"name":"t","inputSchema":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}""");

    private final ArgumentValidationStep step = new ArgumentValidationStep(SqlPolicy.defaults());
    private final AtomicInteger reached = new AtomicInteger();

    private SluiceException refusal(CallKind kind, String tool, String args, ObjectNode definition) {
        try {
            step.apply(call(kind, caller("engineer"), tool, arguments(args), definition, POLICY),
                    reaching(reached, Json.object()));
        } catch (SluiceException e) {
            return e;
        }
        return null;
    }

    @Test
    void argumentsOutsideTheInputSchemaAreRefusedNamingTheField() {
        SluiceException e = refusal(CallKind.TOOL, "t", "{\"n\":\"seven\"}", SCHEMA_TOOL);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENTS);
        assertThat(e.getMessage()).contains("n");
        assertThat(refusal(CallKind.TOOL, "t", "{\"n\":7}", SCHEMA_TOOL)).isNull();
        assertThat(reached).hasValue(1);
    }

    @Test
    void aReadToolsSqlMustBeAQuery_andAWriteToolsCommandWordsMustBePlain() {
        SluiceException write = refusal(CallKind.TOOL, "query", "{\"sql\":\"DELETE FROM orders\"}", null);
        assertThat(write).isNotNull();
        assertThat(write.kind()).isEqualTo(ErrorKind.SQL_REFUSED);
        assertThat(refusal(CallKind.TOOL, "query", "{\"sql\":\"SELECT 1\"}", null)).isNull();
        SluiceException word = refusal(CallKind.TOOL, "run", "{\"model\":\"orders; rm -rf /\"}", null);
        assertThat(word).isNotNull();
        assertThat(word.kind()).isEqualTo(ErrorKind.COMMAND_ARGUMENT_REFUSED);
        assertThat(reached).hasValue(1);
    }

    @Test
    void argumentsThatAreNotAnObjectAreRefused() {
        ObjectNode params = Json.object().put("name", "t").put("arguments", "n=7");
        assertThatThrownBy(() -> step.apply(call(CallKind.TOOL, caller("engineer"), "t", params, null, POLICY),
                reaching(reached, Json.object()))).isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.getMessage()).contains("'arguments' must be an object"));
    }

    @Test
    void otherKindsOfCallPassWhateverTheirParams() {
        // a task's answers and a completion carry the protocol's params, not a tool's arguments
        assertThat(refusal(CallKind.TASK_UPDATE, "query", "{\"sql\":\"DROP TABLE x\"}", SCHEMA_TOOL)).isNull();
        assertThat(refusal(CallKind.PROMPT_COMPLETION, "t", "{\"n\":\"x\"}", SCHEMA_TOOL)).isNull();
        assertThat(reached).hasValue(2);
    }
}
