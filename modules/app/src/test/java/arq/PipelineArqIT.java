package arq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.pipeline.Calls;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import dev.sluice.core.Step.Stage;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditQuery;
import jakarta.annotation.Resource;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tool-call pipeline as CDI assembles it inside Open Liberty, from the WAR a user runs: each
 * {@link Step} qualifier finds the one step its owning module provides, {@link ToolCallPipeline} holds
 * them in the architecture's order, and a call refused by authorisation is audited once, in the
 * embedded database, and never reaches its upstream (the recording upstream of
 * {@code catalog-arq.yaml}, which writes down every tool call it receives).
 */
@ExtendWith(ArquillianExtension.class)
class PipelineArqIT {

    /** Each stage's step: a class in the internal package of the module that owns its concern. */
    private static final Map<Stage, String> OWNERS = new EnumMap<>(Map.of(
            Stage.OBSERVE, "dev.sluice.observability.internal.ObservationStep",
            Stage.AUTHORISE, "dev.sluice.security.internal.AuthorizationStep",
            Stage.RATE_LIMIT, "dev.sluice.cache.internal.RateLimitStep",
            Stage.VALIDATE, "dev.sluice.security.internal.ArgumentValidationStep",
            Stage.CACHE, "dev.sluice.cache.internal.CacheStep",
            Stage.MASK, "dev.sluice.security.internal.MaskingStep",
            Stage.INVOKE, "dev.sluice.registry.internal.InvocationStep"));

    @Deployment
    static WebArchive deployment() {
        return Deployments.sluiceWith(PipelineArqIT.class);
    }

    @Inject
    BeanManager beans;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    @Inject
    AuditLog audit;

    @Resource(lookup = "jdbc/sluice")
    DataSource database;

    @Test
    void eachStageIsTheOneBeanItsOwningModuleProvides() {
        for (Stage stage : Stage.values()) {
            Set<Bean<?>> found = beans.getBeans(PipelineStep.class, new StepLiteral(stage));
            assertThat(found).as("beans qualified @Step(%s)", stage).hasSize(1);
            Class<?> type = found.iterator().next().getBeanClass();
            assertThat(type.getName()).as("@Step(%s)", stage).isEqualTo(OWNERS.get(stage));
            // loaded from that module's own jar in the WAR, not from a copy in another one
            String module = type.getName().split("\\.")[2];
            String source = type.getClassLoader().getResource(type.getName().replace('.', '/') + ".class").toString();
            assertThat(source).as("where %s comes from", type.getSimpleName())
                    .contains("WEB-INF/lib/sluice-" + module + "-");
        }
    }

    @Test
    void thePipelineHoldsTheStepsInTheArchitecturesOrder() throws Exception {
        List<?> steps = assembledSteps();
        assertThat(steps).hasSize(Stage.values().length);
        for (Stage stage : Stage.values()) {
            // a step is injected as its client proxy, a subclass of the step's own class
            Class<?> owner = Class.forName(OWNERS.get(stage), false, ToolCallPipeline.class.getClassLoader());
            assertThat(steps.get(stage.ordinal())).as("step %d", stage.ordinal()).isInstanceOf(owner);
        }
    }

    @Test
    void aCallRefusedByAuthorisationIsAuditedOnceAndNeverReachesTheUpstream() throws Exception {
        String viewer = "arq-viewer-" + UUID.randomUUID();
        String requestId = "arq-" + UUID.randomUUID();
        String refusedText = "refused-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        ObjectNode params = echo(refusedText);
        ((ObjectNode) params.get("arguments")).put("password", password);
        Call refused = calls.of(requestId, CallKind.TOOL, caller(viewer, "viewer"), "recording", "echo", params,
                ClientChannel.NONE, null);

        assertThatThrownBy(() -> pipeline.run(refused)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));

        // the same tool through the same pipeline for an analyst, whose role suffices: it reaches the
        // upstream, which wrote the call down before answering
        String analyst = "arq-analyst-" + UUID.randomUUID();
        String allowedText = "allowed-" + UUID.randomUUID();
        CallResult answer = pipeline.run(calls.of("arq-" + UUID.randomUUID(), CallKind.TOOL, caller(analyst, "analyst"),
                "recording", "echo", echo(allowedText), ClientChannel.NONE, null));
        assertThat(answer.result().path("content").path(0).path("text").asText()).isEqualTo(allowedText);
        assertThat(upstreamCalls()).contains(allowedText).doesNotContain(refusedText);

        audit.flush();
        List<AuditEntry> records = audit.search(bySubject(viewer)).entries();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo(requestId);
            assertThat(r.outcome()).isEqualTo("denied");
            assertThat(r.errorType()).isEqualTo("forbidden");
            assertThat(r.action()).isEqualTo("tools/call");
            assertThat(r.server()).isEqualTo("recording");
            assertThat(r.target()).isEqualTo("echo");
            assertThat(r.role()).isEqualTo("viewer");
            assertThat(r.argumentsRedacted()).contains(refusedText).doesNotContain(password);
        });
        assertThat(auditRow(requestId)).as("the audit record in the database").doesNotContain(password);
        assertThat(audit.search(bySubject(analyst)).entries()).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo("ok"));
    }

    /** The steps the pipeline bean holds, read from the bean itself (not from its client proxy). */
    @SuppressWarnings("unchecked")
    private List<?> assembledSteps() throws ReflectiveOperationException {
        Bean<ToolCallPipeline> bean = (Bean<ToolCallPipeline>) beans.resolve(beans.getBeans(ToolCallPipeline.class));
        ToolCallPipeline instance = beans.getContext(bean.getScope()).get(bean, beans.createCreationalContext(bean));
        Field steps = ToolCallPipeline.class.getDeclaredField("steps");
        steps.setAccessible(true);
        return (List<?>) steps.get(instance);
    }

    private static Caller caller(String subject, String role) {
        return new Caller(subject, role, null, Set.of(), null, Set.of());
    }

    private static ObjectNode echo(String text) {
        ObjectNode params = Json.object().put("name", "echo");
        params.putObject("arguments").put("text", text);
        return params;
    }

    private static AuditQuery bySubject(String subject) {
        return new AuditQuery(subject, null, null, null, null, null, null, null, 100);
    }

    /** What the recording upstream received, one tool call a line. */
    private static String upstreamCalls() throws IOException {
        Path log = Path.of(System.getenv("SLUICE_ARQ_UPSTREAM_LOG"));
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Every column of the audit records of a request, as the database holds them. */
    private String auditRow(String requestId) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("select * from audit_records where request_id = ?")) {
            s.setString(1, requestId);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        values.add(String.valueOf(rows.getObject(i)));
                    }
                }
            }
            assertThat(values).as("columns of the audit records of " + requestId).isNotEmpty();
            return String.join("|", values);
        }
    }

    /** {@code @Step(stage)} as a value, to ask the bean manager with. */
    @SuppressWarnings("all")
    static final class StepLiteral extends AnnotationLiteral<Step> implements Step {
        private final Stage stage;

        StepLiteral(Stage stage) {
            this.stage = stage;
        }

        @Override
        public Stage value() {
            return stage;
        }
    }
}
