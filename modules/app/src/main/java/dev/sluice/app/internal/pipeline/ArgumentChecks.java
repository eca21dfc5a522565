package dev.sluice.app.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolPolicy;
import dev.sluice.security.ArgumentValidator;
import dev.sluice.security.Authorizer;
import dev.sluice.security.CommandArguments;
import dev.sluice.security.SqlPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The validation step: a tool call's arguments against the tool's {@code inputSchema}, the SQL
 * argument of a SQL tool against the SQL policy, and command-line arguments against shell
 * metacharacters. Each refusal names the field and the upstream never sees the call.
 */
@ApplicationScoped
public class ArgumentChecks {

    @Inject
    AccessControl access;

    @Inject
    @ConfigProperty(name = "sluice.security.sql.denied-statements")
    Optional<List<String>> deniedStatements;

    @Inject
    @ConfigProperty(name = "sluice.security.sql.denied-functions")
    Optional<List<String>> deniedFunctions;

    /** Functions read tools may call besides the guard's built-in allow-list. */
    @Inject
    @ConfigProperty(name = "sluice.security.sql.allowed-functions")
    Optional<List<String>> allowedFunctions;

    private final ArgumentValidator validator = new ArgumentValidator();
    private SqlPolicy sql;

    @PostConstruct
    void init() {
        sql = new SqlPolicy(deniedStatements.map(Set::copyOf).orElse(SqlPolicy.DEFAULT_DENIED),
                deniedFunctions.map(Set::copyOf).orElse(SqlPolicy.DEFAULT_DENIED_FUNCTIONS),
                allowedFunctions.map(Set::copyOf).orElse(Set.of()));
    }

    public void check(Call call) {
        if (call.kind() != CallKind.TOOL) {
            return;
        }
        JsonNode arguments = call.params().get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_ARGUMENTS, "'arguments' must be an object, not "
                    + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                    Json.object().put("field", "arguments"), null);
        }
        if (call.definition() != null) {
            validator.validate(call.target(), call.definition().get("inputSchema"), call.arguments());
        }
        ServerPolicy policy = access.policy(call.server());
        ToolPolicy tool = policy.tool(call.target());
        if (tool.sqlArgument() != null) {
            JsonNode value = call.arguments().get(tool.sqlArgument());
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw new SluiceException(ErrorKind.INVALID_ARGUMENTS, "argument '" + tool.sqlArgument()
                            + "' must be a string of SQL", Json.object().put("field", tool.sqlArgument()), null);
                }
                sql.check(tool.sqlArgument(), value.textValue(),
                        Authorizer.mode(policy, call.target(), call.definition()), tool.deniedStatements());
            }
        }
        if (!tool.commandArguments().isEmpty()) {
            CommandArguments.check(tool.commandArguments(), call.arguments());
        }
    }
}
