package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One call through the pipeline, from MCP, REST or an agent: a tool call, a resource read, a prompt
 * get, a completion, a subscription change, a log-level change, or a follow-up of a task. It carries
 * what its route resolved once, before the first step: the server's policy as the catalog said it
 * when the call came in, the tool's own policy, its mode and its cache policy. Every step reads them
 * from here, so a catalog reload during the call changes nothing for it.
 */
public final class Call {
    private final String requestId;
    private final CallKind kind;
    private final Caller caller;
    private final String server;
    private final String target;
    private final ObjectNode params;
    private final ClientChannel channel;
    private final ObjectNode definition;
    private final ServerPolicy policy;
    private final ToolPolicy toolPolicy;
    private final ToolMode mode;
    private final CachePolicy cachePolicy;
    /** {@link #canonicalArguments()}, once computed (a benign race: any thread computes the same bytes). */
    private byte[] canonical;

    /**
     * @param requestId the id of the HTTP request it came in ({@code X-Request-Id}; also in the audit
     *     record and logs)
     * @param kind what the call does upstream
     * @param caller who makes it
     * @param server the catalog name of the upstream server
     * @param target the upstream's own name: tool name (also for a task's calls), resource URI, prompt
     *     name, or the method for calls that name nothing (a log-level change)
     * @param params the params to send upstream ({@code arguments}, {@code _meta} and anything else the
     *     client sent, with the federated name replaced by the upstream's own)
     * @param channel the way back to the client
     * @param definition the target as its upstream lists it (a tool's {@code inputSchema} and
     *     {@code annotations}, say), or null when not known
     * @param policy the server's policy from the catalog ({@link ServerPolicy#OPEN} when it says none)
     */
    public Call(String requestId, CallKind kind, Caller caller, String server, String target, ObjectNode params,
            ClientChannel channel, ObjectNode definition, ServerPolicy policy) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.server = Objects.requireNonNull(server, "server");
        this.target = Objects.requireNonNull(target, "target");
        this.params = Objects.requireNonNull(params, "params");
        this.channel = channel == null ? ClientChannel.NONE : channel;
        this.definition = definition;
        this.policy = policy == null ? ServerPolicy.OPEN : policy;
        boolean tool = kind.actsOn() == CallKind.TOOL;
        this.toolPolicy = tool ? this.policy.tool(target) : ToolPolicy.NONE;
        this.mode = tool ? this.policy.mode(target, definition) : ToolMode.READ;
        this.cachePolicy = kind == CallKind.TOOL ? this.policy.cache(target) : CachePolicy.UNSET;
    }

    private Call(Call from, ClientChannel channel) {
        this.requestId = from.requestId;
        this.kind = from.kind;
        this.caller = from.caller;
        this.server = from.server;
        this.target = from.target;
        this.params = from.params;
        this.channel = channel == null ? ClientChannel.NONE : channel;
        this.definition = from.definition;
        this.policy = from.policy;
        this.toolPolicy = from.toolPolicy;
        this.mode = from.mode;
        this.cachePolicy = from.cachePolicy;
    }

    /** The same call answering through another channel (a step that watches what the upstream asks). */
    public Call withChannel(ClientChannel other) {
        return new Call(this, other);
    }

    public String requestId() {
        return requestId;
    }

    public CallKind kind() {
        return kind;
    }

    public Caller caller() {
        return caller;
    }

    public String server() {
        return server;
    }

    public String target() {
        return target;
    }

    public ObjectNode params() {
        return params;
    }

    public ClientChannel channel() {
        return channel;
    }

    public ObjectNode definition() {
        return definition;
    }

    /** The server's policy, as the catalog said it when the call came in. */
    public ServerPolicy policy() {
        return policy;
    }

    /** The catalog's policy of the tool the call acts on ({@link ToolPolicy#NONE} for other kinds). */
    public ToolPolicy toolPolicy() {
        return toolPolicy;
    }

    /** Whether the tool the call acts on reads or writes; every other kind reads. */
    public ToolMode mode() {
        return mode;
    }

    /** The tool's cache policy over the server's ({@link CachePolicy#UNSET} for other kinds than a tool call). */
    public CachePolicy cachePolicy() {
        return cachePolicy;
    }

    /** The tool's arguments (an empty object when the client sent none). */
    public ObjectNode arguments() {
        return params.get("arguments") instanceof ObjectNode a ? a : Json.object();
    }

    /** The arguments as the client sent them for the audit trail: a tool's, a prompt's, or none. */
    public JsonNode auditedArguments() {
        return kind == CallKind.TOOL ? arguments() : params.get("arguments");
    }

    /**
     * The canonical JSON (members sorted at every level, UTF-8) of {@link #auditedArguments()},
     * computed once per call: the cache key and the audit digest both hash it. Null when there are none.
     */
    public byte[] canonicalArguments() {
        byte[] c = canonical;
        if (c == null) {
            JsonNode a = auditedArguments();
            if (a == null) {
                return null;
            }
            c = Json.canonicalBytes(a);
            canonical = c;
        }
        return c;
    }

    @Override
    public String toString() {
        return "Call[" + kind.method() + " " + server + "/" + target + " by " + caller.subject() + ", request "
                + requestId + "]";
    }
}
