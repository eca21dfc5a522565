package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.pipeline.Calls;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.Route;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Smoke;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The catalog verification: every enabled server (or the ones asked for) is started, its tools,
 * resources and prompts listed, and its documented smoke call made through the pipeline as the
 * caller. The answer is one row per server and the count of tools reachable through Sluice.
 */
@ApplicationScoped
public class CatalogVerification {
    private static final int PARALLEL = 4;
    private static final int DETAIL = 300;

    /** The container's executor: each server is verified on a thread of the application's context. */
    @Resource
    ManagedExecutorService executor;

    @Inject
    Catalog catalog;

    @Inject
    Upstreams upstreams;

    @Inject
    Federation federation;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    /**
     * One server's verification.
     *
     * @param server catalog name
     * @param tier the plan's tier
     * @param category its category
     * @param status {@code verified} (started, listed, smoke call answered), {@code listed} (started and
     *     listed; no smoke call documented), {@code failed} (started, but the smoke call failed),
     *     {@code unavailable} (could not be started), {@code disabled} (off in the catalog)
     * @param tools tools it lists
     * @param resources resources it lists
     * @param prompts prompts it lists
     * @param smoke the smoke call, {@code tool(arguments)}, or null
     * @param smokeResult the start of its answer, or its error
     * @param startSeconds how long the server's start took (launch or connect and the initialize handshake)
     * @param reason why it is not verified, or null
     * @param install how to install it, when it is not
     */
    public record Row(String server, int tier, String category, String status, int tools, int resources, int prompts,
            String smoke, String smokeResult, double startSeconds, String reason, String install) {
    }

    /**
     * @param rows one per server, in catalog order
     * @param servers how many were looked at
     * @param verified how many answered their smoke call (or listed, when they document none)
     * @param tools the tools reachable through Sluice from the servers that started
     */
    public record Report(List<Row> rows, int servers, int verified, int tools) {
    }

    /** Verifies the servers named (every one when {@code only} is empty), as {@code caller}. */
    public Report verify(Set<String> only, Caller caller, String requestId) {
        List<ServerDefinition> servers = catalog.current().servers().stream()
                .filter(s -> only.isEmpty() || only.contains(s.name())).toList();
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<Row>> pending = new ArrayList<>();
        try {
            for (ServerDefinition def : servers) {
                pending.add(executor.submit(() -> {
                    slots.acquire(); // PARALLEL servers at a time: each may start a process
                    try {
                        return verify(def, caller, requestId);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<Row> f : pending) {
                rows.add(f.get(10, TimeUnit.MINUTES));
            }
            int verified = (int) rows.stream().filter(r -> r.status().equals("verified") || r.status().equals("listed"))
                    .count();
            int tools = rows.stream().filter(r -> !r.status().equals("unavailable") && !r.status().equals("disabled"))
                    .mapToInt(Row::tools).sum();
            return new Report(rows, rows.size(), verified, tools);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the verification was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the verification did not finish: " + e.getMessage(), e);
        } finally {
            pending.forEach(f -> f.cancel(true));
        }
    }

    private Row verify(ServerDefinition def, Caller caller, String requestId) {
        String smokeText = def.smoke() == null ? null : def.smoke().tool() + Json.write(def.smoke().arguments());
        if (!def.enabled()) {
            return new Row(def.name(), def.tier(), def.category(), "disabled", 0, 0, 0, smokeText, null, 0,
                    "disabled in the catalog", def.install());
        }
        long t0 = System.nanoTime();
        try {
            upstreams.initializeResult(def.name());
        } catch (SluiceException e) {
            return new Row(def.name(), def.tier(), def.category(), "unavailable", 0, 0, 0, smokeText, null,
                    seconds(t0), cut(e.detail()), def.install());
        }
        // a server already running reports how long its start took; one started just now took this long
        long startMillis = upstreams.status(def.name()).startMillis();
        double started = startMillis > 0 ? Math.round(startMillis / 10.0) / 100.0 : seconds(t0);
        VirtualServer one = new VirtualServer("verify-" + def.name(), "", List.of(def.name()), List.of(), true);
        FederatedList tools = federation.list(one, Federation.Kind.TOOLS);
        int resources = federation.list(one, Federation.Kind.RESOURCES).items().size();
        int prompts = federation.list(one, Federation.Kind.PROMPTS).items().size();
        if (!tools.unavailable().isEmpty()) {
            return new Row(def.name(), def.tier(), def.category(), "unavailable", 0, resources, prompts, smokeText, null,
                    started, cut(String.join("; ", tools.unavailable())), def.install());
        }
        int toolCount = tools.items().size();
        if (def.smoke() == null) {
            return new Row(def.name(), def.tier(), def.category(), "listed", toolCount, resources, prompts, null, null,
                    started, null, null);
        }
        Smoke smoke = def.smoke();
        try {
            String federated = new QualifiedName(def.name(), smoke.tool())
                    .render(catalog.current().separator());
            Route route = federation.route(one, Federation.Kind.TOOLS, federated).orElseThrow(() -> new SluiceException(
                    ErrorKind.UNKNOWN_TOOL, "the smoke tool '" + smoke.tool() + "' is not listed"));
            ObjectNode params = Json.object().put("name", smoke.tool());
            params.set("arguments", smoke.arguments().deepCopy());
            JsonNode result = pipeline.run(calls.of(requestId, CallKind.TOOL, caller, def.name(), smoke.tool(), params,
                    ClientChannel.NONE, route.definition())).result();
            String text = text(result);
            if (result.path("isError").asBoolean(false)) {
                return new Row(def.name(), def.tier(), def.category(), "failed", toolCount, resources, prompts, smokeText,
                        cut(text), started, "the smoke call answered with an error", null);
            }
            if (smoke.expect() != null && !text.contains(smoke.expect())) {
                return new Row(def.name(), def.tier(), def.category(), "failed", toolCount, resources, prompts, smokeText,
                        cut(text), started, "the answer does not contain '" + smoke.expect() + "'", null);
            }
            return new Row(def.name(), def.tier(), def.category(), "verified", toolCount, resources, prompts, smokeText,
                    cut(text), started, null, null);
        } catch (SluiceException e) {
            return new Row(def.name(), def.tier(), def.category(), "failed", toolCount, resources, prompts, smokeText,
                    null, started, cut(e.kind().slug() + ": " + e.detail()), null);
        }
    }

    /** The text of a tool result's content, else its JSON. */
    private static String text(JsonNode result) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : result.path("content")) {
            if (c.has("text")) {
                out.append(c.get("text").asText()).append(' ');
            }
        }
        return out.length() > 0 ? out.toString().strip() : Json.write(result);
    }

    private static String cut(String s) {
        if (s == null) {
            return null;
        }
        String one = SecretValues.mask(s).replaceAll("\\s+", " ");
        return one.length() <= DETAIL ? one : one.substring(0, DETAIL) + "…";
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }

    /** The report as a Markdown table, as it goes into src-docs. */
    public static String markdown(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("| server | tier | category | status | tools | resources | prompts | smoke call | result | start (s) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : report.rows()) {
            String result = r.reason() != null ? r.reason() + (r.smokeResult() == null ? "" : ": " + r.smokeResult())
                    : r.smokeResult() == null ? "" : r.smokeResult();
            out.append("| ").append(r.server()).append(" | ").append(r.tier()).append(" | ").append(r.category())
                    .append(" | ").append(r.status()).append(" | ").append(r.tools()).append(" | ").append(r.resources())
                    .append(" | ").append(r.prompts()).append(" | ").append(cell(r.smoke())).append(" | ")
                    .append(cell(result)).append(" | ").append(r.startSeconds()).append(" |\n");
        }
        out.append("\n").append(report.verified()).append(" of ").append(report.servers())
                .append(" servers verified; ").append(report.tools()).append(" tools reachable through Sluice.\n");
        return out.toString();
    }

    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        String c = s.replace("|", "\\|").replace("\n", " ");
        return c.length() > 120 ? c.substring(0, 120) + "…" : c;
    }
}
