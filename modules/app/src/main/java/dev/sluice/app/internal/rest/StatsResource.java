package dev.sluice.app.internal.rest;

import dev.sluice.agents.TokenLedger;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.CallStats;
import dev.sluice.observability.NodeDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The dashboard's numbers: this node's calls of a recent window, minute by minute, and the tokens spent. */
@Path("stats")
@Tag(name = "system")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class StatsResource {
    /** The windows offered and the step each is shown in: at most 96 points. */
    static final Map<String, Duration> STEPS = Map.of("PT15M", Duration.ofMinutes(1), "PT1H", Duration.ofMinutes(1),
            "PT6H", Duration.ofMinutes(5), "PT24H", Duration.ofMinutes(15));

    @Inject
    CallStats stats;

    @Inject
    TokenLedger ledger;

    @Inject
    NodeDirectory nodes;

    /**
     * @param node the node whose calls these are
     * @param window the window asked for
     * @param step each point's length
     * @param from the first point's start
     * @param to the end of the window (the current minute's end)
     * @param totals the whole window
     * @param series one point per step, oldest first
     */
    public record StatsView(String node, String window, String step, Instant from, Instant to, Totals totals,
            List<Point> series) {
    }

    /**
     * @param requests tool calls, resource reads and prompt gets finished on this node
     * @param errors of them, those that failed (refused, invalid, rate-limited, upstream errors; a tool's own
     *     isError result is not a failure of Sluice)
     * @param errorRate errors / requests, 0 without requests
     * @param p95Millis the 95th percentile of their durations (within 12.5 %), null without requests
     * @param cacheHits cacheable tool calls answered from the cache
     * @param cacheLookups cacheable tool calls
     * @param cacheHitRate cacheHits / cacheLookups, null without lookups
     * @param tokens model tokens (prompt and completion) of agent runs, on every node
     */
    public record Totals(long requests, long errors, double errorRate, Double p95Millis, long cacheHits, long cacheLookups,
            Double cacheHitRate, long tokens) {
    }

    /** One step of the series; the fields as in {@link Totals}. */
    public record Point(Instant at, long requests, long errors, Double p95Millis, long cacheHits, long cacheLookups,
            long tokens) {
    }

    @GET
    @Operation(summary = "Dashboard statistics", description = "This node's calls of the last `window` (PT15M, PT1H "
            + "(default), PT6H or PT24H) in steps of one minute (five for PT6H, fifteen for PT24H): requests, failures, "
            + "95th-percentile latency, cache hits and lookups, and the model tokens of agent runs. Kept in memory for "
            + "24 hours; a restart starts them afresh. Any role.")
    @APIResponse(responseCode = "200", description = "The statistics", content = @Content(schema = @Schema(implementation = StatsView.class)))
    @APIResponse(responseCode = "400", description = "An unknown window (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public StatsView stats(@QueryParam("window") String window) {
        String w = window == null || window.isBlank() ? "PT1H" : window.strip().toUpperCase(Locale.ROOT);
        Duration step = STEPS.get(w);
        if (step == null) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'window' must be PT15M, PT1H, PT6H or PT24H, not '"
                    + window + "'");
        }
        CallStats.Window calls = stats.window(Duration.parse(w), step, Instant.now());
        SortedMap<Instant, Long> tokens = ledger.perMinute(calls.from(), calls.to());
        List<Point> series = new ArrayList<>();
        long allTokens = 0;
        for (CallStats.Point p : calls.points()) {
            long t = tokens.subMap(p.at(), p.at().plus(calls.step())).values().stream().mapToLong(Long::longValue).sum();
            allTokens += t;
            series.add(new Point(p.at(), p.requests(), p.errors(), p.p95Millis(), p.cacheHits(), p.cacheLookups(), t));
        }
        CallStats.Point all = calls.totals();
        Totals totals = new Totals(all.requests(), all.errors(),
                all.requests() == 0 ? 0 : ratio(all.errors(), all.requests()), all.p95Millis(),
                all.cacheHits(), all.cacheLookups(),
                all.cacheLookups() == 0 ? null : ratio(all.cacheHits(), all.cacheLookups()),
                allTokens);
        return new StatsView(nodes.selfId(), w, calls.step().toString(), calls.from(), calls.to(), totals, series);
    }

    /** part / whole to four decimal places. */
    private static double ratio(long part, long whole) {
        return Math.round(part * 10000.0 / whole) / 10000.0;
    }
}
