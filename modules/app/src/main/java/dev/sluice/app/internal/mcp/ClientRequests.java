package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The requests a server may send a client, and the client capability each one needs. */
public final class ClientRequests {
    /** The capabilities that let a server ask the client something. */
    static final List<String> CAPABILITIES = List.of("sampling", "elicitation", "roots");

    private ClientRequests() {
    }

    /** The capability a client needs to answer {@code method}; null for a method that needs none. */
    public static String capability(String method) {
        return switch (method) {
            case "sampling/createMessage" -> "sampling";
            case "elicitation/create" -> "elicitation";
            case "roots/list" -> "roots";
            default -> null;
        };
    }

    /** Whether a client with {@code capabilities} may be asked anything at all. */
    public static boolean mayBeAsked(ObjectNode capabilities) {
        return CAPABILITIES.stream().anyMatch(capabilities::has);
    }
}
