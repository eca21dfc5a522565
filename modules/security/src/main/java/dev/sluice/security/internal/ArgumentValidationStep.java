package dev.sluice.security.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import dev.sluice.core.ToolPolicy;
import dev.sluice.security.ArgumentValidator;
import dev.sluice.security.CommandArguments;
import dev.sluice.security.SqlPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The validation step, for tool calls: the arguments against the tool's {@code inputSchema}, the SQL
 * argument of a SQL tool against the SQL policy (by the tool's mode), and command-line arguments
 * against shell metacharacters. Each refusal names the field, and the upstream never sees the call.
 * Other kinds pass: their params are the protocol's, not a tool's arguments.
 */
@ApplicationScoped
@Step(Step.Stage.VALIDATE)
public class ArgumentValidationStep implements PipelineStep {
    @Inject
    @ConfigProperties
    SecuritySettings settings;

    private final ArgumentValidator validator = new ArgumentValidator();
    private SqlPolicy sql;

    public ArgumentValidationStep() {
    }

    /** A step with this SQL policy (a test's, say). */
    ArgumentValidationStep(SqlPolicy sql) {
        this.sql = sql;
    }

    @PostConstruct
    void init() {
        sql = new SqlPolicy(settings.deniedStatements.map(Set::copyOf).orElse(SqlPolicy.DEFAULT_DENIED),
                settings.deniedFunctions.map(Set::copyOf).orElse(SqlPolicy.DEFAULT_DENIED_FUNCTIONS),
                settings.allowedFunctions.map(Set::copyOf).orElse(Set.of()));
    }

    @Override
    public CallResult apply(Call call, Next next) {
        if (call.kind() == CallKind.TOOL) {
            check(call);
        }
        return next.proceed(call);
    }

    private void check(Call call) {
        JsonNode arguments = call.params().get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_ARGUMENTS, "'arguments' must be an object, not "
                    + arguments.getNodeType().name().toLowerCase(Locale.ROOT), Json.object().put("field", "arguments"),
                    null);
        }
        if (call.definition() != null) {
            validator.validate(call.target(), call.definition().get("inputSchema"), call.arguments());
        }
        ToolPolicy tool = call.toolPolicy();
        if (tool.sqlArgument() != null) {
            JsonNode value = call.arguments().get(tool.sqlArgument());
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw new SluiceException(ErrorKind.INVALID_ARGUMENTS, "argument '" + tool.sqlArgument()
                            + "' must be a string of SQL", Json.object().put("field", tool.sqlArgument()), null);
                }
                sql.check(tool.sqlArgument(), value.textValue(), call.mode(), tool.deniedStatements());
            }
        }
        if (!tool.commandArguments().isEmpty()) {
            CommandArguments.check(tool.commandArguments(), call.arguments());
        }
    }
}
