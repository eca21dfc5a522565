package dev.sluice.agents.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.AgentProfile;
import dev.sluice.agents.AgentProfiles;
import dev.sluice.agents.AgentRole;
import dev.sluice.agents.AgentRun;
import dev.sluice.agents.AgentRuns;
import dev.sluice.agents.ChatMessage;
import dev.sluice.agents.ModelReply;
import dev.sluice.agents.ModelRequest;
import dev.sluice.agents.TaskCategory;
import dev.sluice.agents.TokenCount;
import dev.sluice.agents.ToolCall;
import dev.sluice.agents.ToolGateway;
import dev.sluice.agents.ToolOutcome;
import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.Role;
import dev.sluice.core.Redactor;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The agent loop. A run sends the role's tools (its subset, narrowed to what the caller may call,
 * compacted) and the task to the model; each tool call the model asks for goes through Sluice's own
 * pipeline as the caller ({@link ToolGateway}), and its result (or refusal, as a tool error) goes back
 * to the model; the run ends on an answer, the step limit, the run's token budget or a spent monthly
 * budget. Every model call's tokens are recorded (provider's usage, else counted with a tokenizer), and
 * every step is stored as it happens.
 */
@ApplicationScoped
public class AgentRunner implements AgentRuns {
    private static final Logger LOG = Logger.getLogger(AgentRunner.class.getName());
    /** The pseudo-tool that pages through a result that was cut for the model. */
    static final String READ_MORE = "sluice_read_more";

    @Inject
    @ConfigProperties
    AgentSettings settings;

    @Inject
    AgentProfiles profiles;

    @Inject
    ModelGateway models;

    @Inject
    ToolGateway tools;

    @Inject
    RunStore store;

    @Inject
    JpaTokenLedger ledger;

    @Resource
    ManagedExecutorService executor;

    /** Runs started without waiting that go on on this node. */
    private final AtomicInteger background = new AtomicInteger();

    @Override
    public AgentRun run(AgentRole role, String task, TaskCategory category, Caller caller, String requestId) {
        Loop loop = prepare(role, task, category, caller, requestId);
        loop.go(task);
        return store.find(loop.runId).orElseThrow();
    }

    @Override
    public AgentRun start(AgentRole role, String task, TaskCategory category, Caller caller, String requestId) {
        if (background.incrementAndGet() > settings.maxBackgroundRuns) {
            background.decrementAndGet();
            throw new SluiceException(ErrorKind.UNAVAILABLE, settings.maxBackgroundRuns + " agent runs are going on in the background"
                    + " on this node (sluice.agents.max-background-runs); wait for one to end, or run with 'wait': true");
        }
        Loop loop;
        try {
            loop = prepare(role, task, category, caller, requestId);
        } catch (RuntimeException e) {
            background.decrementAndGet();
            throw e;
        }
        try {
            executor.execute(() -> {
                try {
                    loop.go(task);
                } catch (RuntimeException e) { // a run never stays "running" because its thread died
                    LOG.log(Level.WARNING, "agent run " + loop.runId + " failed", e);
                    store.finish(loop.runId, "failed", "internal", null, "the run failed inside Sluice ("
                            + e.getClass().getSimpleName() + ")");
                } finally {
                    background.decrementAndGet();
                }
            });
        } catch (RuntimeException rejected) {
            background.decrementAndGet();
            store.finish(loop.runId, "failed", "internal", null, "the run could not be started");
            throw new SluiceException(ErrorKind.UNAVAILABLE, "the agent run could not be started on this node", rejected);
        }
        return store.find(loop.runId).orElseThrow();
    }

    /** Checks what a run needs, stores it as running, and answers the loop that will run it. */
    private Loop prepare(AgentRole role, String task, TaskCategory category, Caller caller, String requestId) {
        AgentProfile profile = profiles.find(role).filter(AgentProfile::enabled).orElseThrow(() -> new SluiceException(
                ErrorKind.UNKNOWN_AGENT, "the agent role '" + role.id() + "' is disabled"));
        if (task == null || task.isBlank()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'task' must not be empty");
        }
        TaskCategory cat = category == null ? TaskCategory.ROUTINE : category;
        String modelRef = Optional.ofNullable(profile.model(cat)).orElse(cat == TaskCategory.ROUTINE ? settings.routineModel
                : settings.reasoningModel);
        models.provider(modelRef); // a model that names no provider is refused before anything runs
        ledger.check(modelRef, caller.organisation());

        ToolDefinitions definitions = new ToolDefinitions(tools.tools(profile, caller), settings.compactTools, settings.maxDescription,
                settings.maxArgumentDescription);
        AgentRunEntity run = new AgentRunEntity();
        run.id = UUID.randomUUID().toString();
        run.role = role.id();
        run.subject = caller.subject();
        run.organisation = caller.organisation();
        run.task = task.length() > 8000 ? task.substring(0, 8000) : task;
        run.category = cat.id();
        run.requestId = requestId;
        run.model = modelRef;
        run.status = "running";
        run.startedAt = Instant.now();
        store.create(run);
        boolean onDemand = definitions.specs().size() > 1 && definitionTokens(modelRef, definitions) > settings.onDemandAbove;
        LOG.info(() -> "agent run " + run.id + " (" + role.id() + ", " + modelRef + ") started for " + caller.subject()
                + " with " + definitions.specs().size() + " tools" + (onDemand ? ", offered on demand" : ""));

        return new Loop(run.id, profile, caller, requestId, modelRef, definitions, onDemand
                ? new ToolFinder(definitions.specs()) : null);
    }

    /** One run's state while it goes on. */
    private final class Loop {
        final String runId;
        final AgentProfile profile;
        final Caller caller;
        final String requestId;
        final String modelRef;
        final ToolDefinitions definitions;
        /** Offers tools on demand, or null when the run offers them all from the start. */
        final ToolFinder finder;
        /** The tools found so far (on demand), in the order they were found. */
        final Set<ToolSpec> found = new LinkedHashSet<>();
        final List<ChatMessage> messages = new ArrayList<>();
        /** Results cut for the model, by reference, for {@link #READ_MORE}. */
        final Map<String, String> fullResults = new HashMap<>();
        int seq;
        long runTokens;
        String lastServer;
        String lastTool;

        Loop(String runId, AgentProfile profile, Caller caller, String requestId, String modelRef,
                ToolDefinitions definitions, ToolFinder finder) {
            this.finder = finder;
            this.runId = runId;
            this.profile = profile;
            this.caller = caller;
            this.requestId = requestId;
            this.modelRef = modelRef;
            this.definitions = definitions;
        }

        void go(String task) {
            messages.add(ChatMessage.user(task));
            for (int call = 0; call < profile.stepLimit(); call++) {
                try {
                    ledger.check(modelRef, caller.organisation());
                } catch (SluiceException spent) {
                    store.finish(runId, "stopped", "monthly-budget", null, spent.detail());
                    return;
                }
                ModelReply reply;
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                List<ToolSpec> specs = specs();
                ModelRequest request = new ModelRequest(ModelGateway.modelName(modelRef), profile.systemPrompt(), messages,
                        specs, settings.maxTokens);
                try {
                    reply = models.complete(modelRef, request);
                } catch (SluiceException e) {
                    step("model", started, t0, null, null, new TokenCount(0, 0, "provider"), "error", e.detail());
                    store.finish(runId, "failed", "model-error", null, e.kind().slug() + ": " + e.detail());
                    return;
                }
                TokenCount tokens = reply.usage() != null ? reply.usage() : counted(request, reply);
                record(tokens);
                runTokens += tokens.total();
                boolean answer = reply.toolCalls().isEmpty();
                step("model", started, t0, null, null, tokens, answer ? "answer" : "tool_calls", modelDetail(reply, tokens));
                if (answer) {
                    store.finish(runId, "completed", "answer", reply.text(), null);
                    return;
                }
                messages.add(ChatMessage.assistant(reply.text(), reply.toolCalls()));
                for (ToolCall c : reply.toolCalls()) {
                    messages.add(execute(c));
                }
                if (runTokens >= profile.tokenBudget()) {
                    store.finish(runId, "stopped", "token-budget", null, "the run used " + runTokens
                            + " tokens, its budget is " + profile.tokenBudget());
                    return;
                }
            }
            store.finish(runId, "stopped", "step-limit", null, "no answer within " + profile.stepLimit() + " model calls");
        }

        List<ToolSpec> specs() {
            List<ToolSpec> offered = definitions.specs();
            if (finder != null) { // the lookup first, then what it found: a stable prefix for prompt caches
                offered = new ArrayList<>(found.size() + 1);
                offered.add(finder.spec());
                offered.addAll(found);
            }
            if (fullResults.isEmpty()) {
                return offered;
            }
            List<ToolSpec> with = new ArrayList<>(offered);
            ObjectNode schema = Json.object().put("type", "object");
            ObjectNode props = schema.putObject("properties");
            props.putObject("ref").put("type", "string").put("description", "the ref a cut result named");
            props.putObject("offset").put("type", "integer").put("description", "the character to continue from");
            schema.putArray("required").add("ref").add("offset");
            with.add(new ToolSpec(READ_MORE, "Reads more of a tool result that was cut short.", schema));
            return with;
        }

        ChatMessage execute(ToolCall c) {
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            if (READ_MORE.equals(c.name())) {
                String full = fullResults.get(c.arguments().path("ref").asText());
                int offset = Math.max(0, c.arguments().path("offset").asInt(0));
                String text = full == null ? "no result is kept under that ref" : page(full, offset, c.arguments().path("ref").asText());
                step("tool", started, t0, null, READ_MORE, null, full == null ? "error" : "ok",
                        detail(c.arguments(), text));
                return ChatMessage.toolResult(c.id(), text, full == null);
            }
            if (finder != null && ToolFinder.NAME.equals(c.name())) {
                List<ToolSpec> hits = finder.find(c.arguments().path("query").asText(""));
                found.addAll(hits);
                String text = ToolFinder.answer(hits);
                step("tool", started, t0, null, ToolFinder.NAME, null, hits.isEmpty() ? "error" : "ok",
                        detail(c.arguments(), text));
                return ChatMessage.toolResult(c.id(), text, hits.isEmpty());
            }
            String name = definitions.federatedName(c.name());
            ToolOutcome outcome;
            if (c.malformed() != null) {
                outcome = new ToolOutcome("the call was not made: " + c.malformed(), true, "invalid-params", null);
            } else {
                outcome = tools.call(profile, caller, requestId, name, c.arguments());
            }
            lastServer = outcome.server();
            lastTool = name;
            String text = outcome.text() == null ? "" : outcome.text();
            if (text.length() > settings.maxResultChars) {
                String ref = "r" + (fullResults.size() + 1);
                fullResults.put(ref, text);
                text = page(text, 0, ref);
            }
            String kind = outcome.error() ? (outcome.errorType() == null ? "error" : "refused") : "ok";
            step("tool", started, t0, outcome.server(), name, null, kind,
                    detail(c.arguments(), (outcome.errorType() == null ? "" : outcome.errorType() + ": ") + text));
            return ChatMessage.toolResult(c.id(), text, outcome.error());
        }

        String page(String full, int offset, String ref) {
            if (offset >= full.length()) {
                return "[the result has " + full.length() + " characters; nothing after " + offset + "]";
            }
            int end = Math.min(full.length(), offset + settings.maxResultChars);
            String part = full.substring(offset, end);
            if (end < full.length()) {
                part += "\n[cut: characters " + offset + "–" + end + " of " + full.length() + " shown; call "
                        + READ_MORE + " with {\"ref\": \"" + ref + "\", \"offset\": " + end + "} for more, or narrow the"
                        + " call]";
            }
            return part;
        }

        TokenCount counted(ModelRequest request, ModelReply reply) {
            StringBuilder prompt = new StringBuilder(request.system() == null ? "" : request.system());
            for (ChatMessage m : request.messages()) {
                prompt.append('\n').append(m.text() == null ? "" : m.text());
                m.toolCalls().forEach(tc -> prompt.append(tc.name()).append(Json.write(tc.arguments())));
            }
            prompt.append(toolsText(request.tools()));
            StringBuilder completion = new StringBuilder(reply.text());
            reply.toolCalls().forEach(tc -> completion.append(tc.name()).append(Json.write(tc.arguments())));
            return new TokenCount(Tokenizer.count(modelRef, prompt.toString()),
                    Tokenizer.count(modelRef, completion.toString()), "tokenizer");
        }

        void record(TokenCount tokens) {
            TokenUsageEntity u = new TokenUsageEntity();
            u.occurredAt = Instant.now();
            u.provider = modelRef.substring(0, modelRef.indexOf(':'));
            u.model = ModelGateway.modelName(modelRef);
            u.role = profile.role().id();
            u.subject = caller.subject();
            u.organisation = caller.organisation();
            u.server = lastServer;
            u.runId = runId;
            u.promptTokens = tokens.prompt();
            u.completionTokens = tokens.completion();
            u.cachedPromptTokens = tokens.cachedPrompt();
            u.countedBy = tokens.countedBy();
            ledger.record(u, lastTool);
            ledger.alertIfDue(modelRef, caller.organisation());
        }

        void step(String kind, Instant started, long t0, String server, String tool, TokenCount tokens, String outcome,
                String detail) {
            AgentRunStepEntity s = new AgentRunStepEntity();
            s.runId = runId;
            s.seq = ++seq;
            s.kind = kind;
            s.startedAt = started;
            s.durationMicros = (System.nanoTime() - t0) / 1000;
            s.model = "model".equals(kind) ? modelRef : null;
            s.server = server;
            s.tool = tool;
            s.promptTokens = tokens == null ? null : tokens.prompt();
            s.completionTokens = tokens == null ? null : tokens.completion();
            s.cachedPromptTokens = tokens == null ? null : tokens.cachedPrompt();
            s.outcome = outcome;
            s.detail = detail == null ? null : cut(SecretValues.mask(detail), 4000);
            store.addStep(s);
        }
    }

    /** What the role's definitions cost per model call, as the tools array of a request carries them. */
    static int definitionTokens(String modelRef, ToolDefinitions definitions) {
        return Tokenizer.count(modelRef, toolsText(definitions.specs()));
    }

    /** The text of tool definitions as the tokenizer counts it: each name, description and schema. */
    private static String toolsText(List<ToolSpec> tools) {
        StringBuilder b = new StringBuilder();
        for (ToolSpec t : tools) {
            b.append(t.name()).append(t.description() == null ? "" : t.description()).append(Json.write(t.inputSchema()));
        }
        return b.toString();
    }

    private static String modelDetail(ModelReply reply, TokenCount tokens) {
        ObjectNode d = Json.object().put("text", cut(reply.text(), 2000)).put("stopReason", reply.stopReason())
                .put("countedBy", tokens.countedBy());
        var calls = d.putArray("toolCalls");
        reply.toolCalls().forEach(c -> calls.addObject().put("name", c.name()).set("arguments", Redactor.redact(c.arguments())));
        return Json.write(d);
    }

    /** A tool step's detail: its arguments redacted as in the audit trail, and the start of its result. */
    private static String detail(ObjectNode arguments, String result) {
        ObjectNode d = Json.object();
        d.set("arguments", Redactor.redact(arguments));
        d.put("result", Redactor.redact(cut(result, 2000)));
        return Json.write(d);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }

    @Override
    public Optional<AgentRun> find(String id, Caller caller) {
        String subject = store.subjectOf(id);
        if (subject == null || !(subject.equals(caller.subject()) || Role.allows(caller.role(), Role.ADMIN))) {
            return Optional.empty();
        }
        return store.find(id);
    }

    @Override
    public List<AgentRun> list(Caller caller, AgentRole role, int limit) {
        return store.list(Role.allows(caller.role(), Role.ADMIN) ? null : caller.subject(), role,
                Math.max(1, Math.min(limit, 500)));
    }
}
