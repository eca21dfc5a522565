package dev.sluice.core;

import java.util.List;
import java.util.Optional;

/**
 * The MCP protocol versions Sluice speaks: the session era (initialize handshake, session ids) and
 * the stateless era (2026-07-28: version and capabilities in each request's {@code _meta}).
 */
public final class ProtocolVersion {
    /** The stateless revision: no handshake, no sessions. */
    public static final String V2026_07_28 = "2026-07-28";
    public static final String V2025_11_25 = "2025-11-25";
    /** The tasks extension of 2026-07-28 (SEP-2663), as clients and servers name it among their capabilities. */
    public static final String TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_03_26 = "2025-03-26";
    /** The version of the legacy HTTP+SSE transport, served only on {@code /sse} for old clients. */
    public static final String V2024_11_05 = "2024-11-05";

    /** The session-era versions Sluice serves, newest first. */
    public static final List<String> SUPPORTED = List.of(V2025_11_25, V2025_06_18, V2025_03_26);

    /** The stateless-era versions Sluice serves, newest first. */
    public static final List<String> STATELESS = List.of(V2026_07_28);

    /** Every version Sluice serves on its Streamable HTTP endpoint, newest first. */
    public static final List<String> ALL = List.of(V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26);

    /** The versions of the handshake era, served or not: a header naming one of them is never a stateless claim. */
    public static final List<String> SESSION_ERA = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);

    /** The version a request without {@code MCP-Protocol-Version} is taken to speak, per the specification. */
    public static final String ASSUMED_WITHOUT_HEADER = V2025_03_26;

    public static final String LATEST = V2025_11_25;

    private ProtocolVersion() {
    }

    public static boolean isSupported(String version) {
        return version != null && SUPPORTED.contains(version);
    }

    /**
     * The version to answer an {@code initialize} with: the client's when Sluice speaks it, otherwise
     * Sluice's latest (the client then decides whether it can go on).
     */
    public static String negotiate(String requested) {
        return isSupported(requested) ? requested : LATEST;
    }

    /** Whether {@code version} is at least {@code other}; versions are dates, so text order is time order. */
    public static boolean atLeast(String version, String other) {
        return version.compareTo(other) >= 0;
    }

    public static Optional<String> parse(String header) {
        return Optional.ofNullable(header).map(String::strip).filter(h -> !h.isEmpty());
    }
}
