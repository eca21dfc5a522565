package dev.sluice.security;

import dev.sluice.core.Role;
import dev.sluice.core.Call;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's {@link Authorizer}, with the configured least roles for read and write tools: the one
 * decision on calls (the pipeline's authorisation step) and on what lists show.
 */
@ApplicationScoped
public class Authorization {

    @Inject
    @ConfigProperty(name = "sluice.security.read-tools.min-role", defaultValue = "analyst")
    String readMinimum;

    @Inject
    @ConfigProperty(name = "sluice.security.write-tools.min-role", defaultValue = "engineer")
    String writeMinimum;

    private Authorizer authorizer;

    public Authorization() {
    }

    /** An authorisation with these least roles (a test's, say). */
    public Authorization(Role readMinimum, Role writeMinimum) {
        this.authorizer = new Authorizer(readMinimum, writeMinimum);
    }

    @PostConstruct
    void init() {
        authorizer = new Authorizer(Role.parse(readMinimum), Role.parse(writeMinimum));
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** Refuses the call with {@link ErrorKind#FORBIDDEN}, naming why, when its caller may not make it. */
    public void authorize(Call call) {
        Authorizer.Decision decision = authorizer.decide(call);
        if (!decision.allowed()) {
            throw new SluiceException(ErrorKind.FORBIDDEN, decision.reason(),
                    Json.object().put("server", call.server()).put("target", call.target()), null);
        }
    }
}
