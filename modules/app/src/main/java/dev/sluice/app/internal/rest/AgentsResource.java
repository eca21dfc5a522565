package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.agents.AgentProfile;
import dev.sluice.agents.AgentProfiles;
import dev.sluice.agents.AgentRole;
import dev.sluice.agents.AgentRun;
import dev.sluice.agents.AgentRuns;
import dev.sluice.agents.RunStep;
import dev.sluice.agents.TaskCategory;
import dev.sluice.agents.TokenBudget;
import dev.sluice.agents.TokenLedger;
import dev.sluice.agents.TokenUsage;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The five data-role agents: their profiles (read by anyone signed in, changed by admins), runs of a
 * task (by analysts and above, with the caller's own rights), the runs' records, and token usage.
 */
@Path("agents")
@Tag(name = "agents")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class AgentsResource {
    private static final Set<String> PROFILE_FIELDS = Set.of("purpose", "systemPrompt", "servers", "tools",
            "routineModel", "reasoningModel", "stepLimit", "tokenBudget", "enabled");

    @Inject
    AgentProfiles profiles;

    @Inject
    AgentRuns runs;

    @Inject
    TokenLedger ledger;

    @Inject
    AuditLog audit;

    /** A profile as the REST API shows it (role by its id, e.g. data-analyst). */
    public record ProfileView(String role, String purpose, String systemPrompt, List<String> servers, List<String> tools,
            String routineModel, String reasoningModel, int stepLimit, long tokenBudget, boolean enabled) {
        static ProfileView of(AgentProfile p) {
            return new ProfileView(p.role().id(), p.purpose(), p.systemPrompt(), p.servers(), p.tools(), p.routineModel(),
                    p.reasoningModel(), p.stepLimit(), p.tokenBudget(), p.enabled());
        }
    }

    /** A run as the REST API shows it. */
    public record RunView(String id, String role, String subject, String task, String category, String model,
            String status, String stopReason, Instant startedAt, Instant finishedAt, long promptTokens,
            long completionTokens, long cachedPromptTokens, String answer, String error, List<RunStep> steps) {
        static RunView of(AgentRun r) {
            return new RunView(r.id(), r.role().id(), r.subject(), r.task(), r.category() == null ? null : r.category().id(),
                    r.model(), r.status(), r.stopReason(), r.startedAt(), r.finishedAt(), r.promptTokens(),
                    r.completionTokens(), r.cachedPromptTokens(), r.answer(), r.error(), r.steps());
        }
    }

    static AgentRole role(String id) {
        try {
            return AgentRole.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.UNKNOWN_AGENT, "no agent role '" + id + "' (roles: "
                    + String.join(", ", Arrays.stream(AgentRole.values()).map(AgentRole::id).toList()) + ")");
        }
    }

    @GET
    @Operation(summary = "The agent profiles", description = "One per data role: purpose, system prompt, servers, the "
            + "tool subset (glob patterns over federated names), models per task category, step limit, token budget.")
    public List<ProfileView> list() {
        return profiles.all().stream().map(ProfileView::of).toList();
    }

    @GET
    @Path("{role}")
    @Operation(summary = "One agent profile")
    @APIResponse(responseCode = "404", description = "No such role (unknown-agent)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ProfileView get(@PathParam("role") String role) {
        return ProfileView.of(profile(role));
    }

    private AgentProfile profile(String role) {
        AgentRole r = role(role);
        return profiles.find(r).orElseThrow(() -> new SluiceException(ErrorKind.UNKNOWN_AGENT,
                "the agent role '" + role + "' has no profile"));
    }

    @PUT
    @Path("{role}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an agent profile", description = "Admins only. Fields left out keep their value.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "narrower", value = "{\"tools\":"
            + "[\"motherduck__execute_query\"],\"stepLimit\":4,\"routineModel\":\"anthropic:claude-3-5-haiku-latest\"}")))
    @APIResponse(responseCode = "400", description = "Invalid body (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ProfileView update(@PathParam("role") String role, JsonNode body, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "changing an agent profile");
        AgentProfile current = profile(role);
        if (body == null || !body.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be an object of profile fields");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!PROFILE_FIELDS.contains(f)) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "unknown field '" + f + "' (expected "
                        + String.join(", ", PROFILE_FIELDS.stream().sorted().toList()) + ")");
            }
        });
        int stepLimit = body.has("stepLimit") ? positive(body.get("stepLimit"), "stepLimit", 100) : current.stepLimit();
        long tokenBudget = body.has("tokenBudget") ? positive(body.get("tokenBudget"), "tokenBudget", 10_000_000)
                : current.tokenBudget();
        AgentProfile updated = new AgentProfile(current.role(), text(body, "purpose", current.purpose()),
                text(body, "systemPrompt", current.systemPrompt()), strings(body, "servers", current.servers()),
                strings(body, "tools", current.tools()), model(body, "routineModel", current.routineModel()),
                model(body, "reasoningModel", current.reasoningModel()), stepLimit, tokenBudget,
                body.has("enabled") ? bool(body.get("enabled")) : current.enabled());
        AgentProfile saved = profiles.save(updated, caller.subject());
        audit.record(AuditEntry.ofAction(RequestIdentity.of(request), caller, "rest", "agents/update", null, role, null,
                request.getRemoteAddr()));
        return ProfileView.of(saved);
    }

    @POST
    @Path("{role}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a task", description = "The agent works the task with the role's tools, each tool call "
            + "made through the pipeline with the caller's rights (never more), until it answers or a limit stops it. "
            + "Answers 201 with the run and its steps. 'category' (routine or reasoning) picks the model. With "
            + "'wait': false it answers 202 at once with the run (status running) and a Location to read it from, "
            + "its steps appearing as they happen.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "task", value = "{\"task\":\"How many orders did "
            + "we take last month, and for how much?\",\"category\":\"routine\"}")))
    @APIResponse(responseCode = "201", description = "The run", content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "The run, started ('wait': false)", content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "429", description = "A monthly token budget is spent (token-budget-exceeded)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response run(@PathParam("role") String role, JsonNode body, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ANALYST, "running an agent");
        AgentRole r = role(role);
        if (body == null || !body.isObject() || !body.path("task").isTextual() || body.path("task").asText().isBlank()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be {\"task\": \"...\"} with a task");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!Set.of("task", "category", "wait").contains(f)) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "unknown field '" + f + "' (expected task, category, wait)");
            }
        });
        if (body.has("wait") && !body.get("wait").isBoolean()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'wait' must be true or false");
        }
        TaskCategory category;
        try {
            category = TaskCategory.fromId(body.path("category").asText("routine"));
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'category': " + e.getMessage());
        }
        if (!body.path("wait").asBoolean(true)) { // answer at once; the client reads the run as it goes
            AgentRun started = runs.start(r, body.get("task").asText(), category, caller, RequestIdentity.of(request));
            return Response.status(202).location(URI.create("/api/v1/agents/runs/" + started.id()))
                    .entity(RunView.of(started)).build();
        }
        AgentRun run = runs.run(r, body.get("task").asText(), category, caller, RequestIdentity.of(request));
        return Response.status(201).entity(RunView.of(run)).build();
    }

    @GET
    @Path("runs")
    @Operation(summary = "Runs, newest first", description = "The caller's own runs; admins see everyone's. Without steps.")
    public List<RunView> runs(@QueryParam("role") String role, @QueryParam("limit") @DefaultValue("50") int limit,
            @Context HttpServletRequest request) {
        return runs.list(RequestAuthentication.caller(request), role == null || role.isBlank() ? null : role(role), limit)
                .stream().map(RunView::of).toList();
    }

    @GET
    @Path("runs/{id}")
    @Operation(summary = "One run with its steps", description = "Each model call (model, tokens, duration, what it "
            + "asked for) and each tool call (server, tool, arguments, the start of its result, outcome).")
    @APIResponse(responseCode = "404", description = "No such run, or another user's (not-found)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public RunView run(@PathParam("id") String id, @Context HttpServletRequest request) {
        return RunView.of(runs.find(id, RequestAuthentication.caller(request)).orElseThrow(() -> new SluiceException(
                ErrorKind.NOT_FOUND, "no agent run '" + id + "'")));
    }

    /** Usage of a month, grouped, with the budgets that apply. */
    public record UsageView(String month, String by, List<TokenUsage> usage, List<TokenBudget> budgets) {
    }

    @GET
    @Path("usage")
    @Operation(summary = "Token usage of a month", description = "Model-call tokens of the month (yyyy-MM, UTC; default "
            + "this month) grouped by model, role, subject, server or organisation, and the monthly budgets with their use. "
            + "Admins only.")
    public UsageView usage(@QueryParam("month") String month, @QueryParam("by") @DefaultValue("model") String by,
            @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "reading token usage");
        String m = month == null || month.isBlank() ? YearMonth.now(ZoneOffset.UTC).toString() : month;
        return new UsageView(m, by, ledger.usage(m, by), new ArrayList<>(ledger.budgets(null)));
    }

    private static String text(JsonNode body, String field, String current) {
        if (!body.has(field)) {
            return current;
        }
        if (!body.get(field).isTextual() || body.get(field).asText().isBlank()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + field + "' must be a non-empty string");
        }
        return body.get(field).asText();
    }

    private static String model(JsonNode body, String field, String current) {
        if (!body.has(field)) {
            return current;
        }
        if (body.get(field).isNull()) {
            return null;
        }
        String m = body.get(field).asText("");
        if (!m.matches("(openai|anthropic):[^\\s]+")) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + field + "' must be openai:<model> or"
                    + " anthropic:<model>, or null for the configured default; not '" + m + "'");
        }
        return m;
    }

    private static List<String> strings(JsonNode body, String field, List<String> current) {
        if (!body.has(field)) {
            return current;
        }
        if (!body.get(field).isArray()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + field + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : body.get(field)) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().contains(",")) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + field + "' items must be non-empty strings"
                        + " without commas, not " + item);
            }
            out.add(item.asText().strip());
        }
        return out;
    }

    private static int positive(JsonNode node, String field, long max) {
        if (!node.canConvertToLong() || node.asLong() < 1 || node.asLong() > max) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + field + "' must be a whole number from 1 to " + max);
        }
        return (int) Math.min(Integer.MAX_VALUE, node.asLong());
    }

    private static boolean bool(JsonNode node) {
        if (!node.isBoolean()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'enabled' must be true or false");
        }
        return node.asBoolean();
    }
}
