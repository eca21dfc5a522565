package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamListener;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Upstreams that live in the test, for the classes that manage connections: a transport that answers
 * {@code initialize} and every other request at once and can be refused, made unreachable or killed;
 * a catalog the test can change; a listener that writes down what it heard; and the connections of a
 * node to such upstreams ({@link Node}).
 */
final class FakeUpstream implements MessageTransport {
    final String server;
    final List<String> methods = new CopyOnWriteArrayList<>();
    volatile boolean refusesStart;
    volatile boolean unreachable;
    volatile boolean closed;
    private volatile Listener listener;

    FakeUpstream(String server) {
        this.server = server;
    }

    @Override
    public void start(Listener listener) throws IOException {
        if (refusesStart) {
            throw new IOException("connection refused");
        }
        this.listener = listener;
    }

    @Override
    public void send(ObjectNode message) throws IOException {
        if (unreachable || closed) {
            throw new IOException(server + " is unreachable");
        }
        String method = message.path("method").asText();
        methods.add(method);
        if (message.has("id") && message.has("method")) {
            ObjectNode result = Json.object();
            if ("initialize".equals(method)) {
                result.put("protocolVersion", ProtocolVersion.LATEST);
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", server + "-server").put("version", "1.2.3");
            }
            listener.onMessage(JsonRpc.result(message.get("id"), result), null);
        }
    }

    /** The upstream goes away on its own (a process that exits, a stream that breaks). */
    void die(String why) {
        closed = true;
        listener.onClosed(new IOException(why));
    }

    @Override
    public void close() {
        closed = true;
        Listener l = listener;
        if (l != null) {
            l.onClosed(null);
        }
    }

    @Override
    public String describe() {
        return "fake: " + server;
    }

    /**
     * Makes the transports of a test: each a new {@link FakeUpstream}, refused for the servers in
     * {@code refused}; those that started are kept in {@code made}.
     */
    static final class Transports implements Function<ServerDefinition, MessageTransport> {
        final List<FakeUpstream> made = new CopyOnWriteArrayList<>();
        final Set<String> refused = ConcurrentHashMap.newKeySet();

        @Override
        public MessageTransport apply(ServerDefinition def) {
            FakeUpstream upstream = new FakeUpstream(def.name());
            upstream.refusesStart = refused.contains(def.name());
            if (!upstream.refusesStart) {
                made.add(upstream);
            }
            return upstream;
        }

        /** The latest transport made to {@code server}. */
        FakeUpstream latest(String server) {
            FakeUpstream found = null;
            for (FakeUpstream u : made) {
                if (u.server.equals(server)) {
                    found = u;
                }
            }
            return found;
        }

        long count(String server) {
            return made.stream().filter(u -> u.server.equals(server)).count();
        }
    }

    /** A catalog whose snapshot the test replaces. */
    static final class TestCatalog implements Catalog {
        volatile CatalogSnapshot snapshot;
        final Set<String> definedAtRunTime = ConcurrentHashMap.newKeySet();

        TestCatalog(String yaml) {
            snapshot = CatalogParser.parse(yaml, "test");
        }

        @Override
        public CatalogSnapshot current() {
            return snapshot;
        }

        @Override
        public CatalogSnapshot reload() {
            return snapshot;
        }

        @Override
        public boolean definedAtRunTime(String server) {
            return definedAtRunTime.contains(server);
        }

        ServerDefinition server(String name) {
            return snapshot.server(name).orElseThrow();
        }
    }

    /** Writes down what listeners are told, as "server kind", "server updated" or "server retried reason". */
    static final class Heard implements UpstreamListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void listChanged(String server, String kind) {
            events.add(server + " " + kind);
        }

        @Override
        public void resourceUpdated(String server, ObjectNode params) {
            events.add(server + " updated " + params.path("uri").asText());
        }

        @Override
        public void retried(String server, String reason) {
            events.add(server + " retried " + reason);
        }
    }

    /**
     * A node's connections to fake upstreams over a test catalog, with a listener that hears what they
     * announce; relays run on the caller's thread, restarts on a timer of the node's own.
     */
    static final class Node implements AutoCloseable {
        final TestCatalog catalog;
        final Transports transports = new Transports();
        final Heard heard = new Heard();
        final UpstreamListeners listeners = new UpstreamListeners();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final UpstreamConnections connections;

        Node(String catalogYaml) {
            catalog = new TestCatalog(catalogYaml);
            listeners.add(heard);
            connections = new UpstreamConnections(catalog, transports, Runnable::run, timer, listeners);
        }

        @Override
        public void close() {
            connections.stop();
            timer.shutdownNow();
        }
    }

    /** Starts {@code transport}; the future completes with the first message it delivers. */
    static CompletableFuture<ObjectNode> firstMessage(MessageTransport transport) throws IOException {
        CompletableFuture<ObjectNode> first = new CompletableFuture<>();
        transport.start(new Listener() {
            @Override
            public void onMessage(ObjectNode message, String relatedRequestId) {
                first.complete(message);
            }

            @Override
            public void onRequestFailed(String requestId, String why) {
            }

            @Override
            public void onClosed(Throwable cause) {
            }
        });
        return first;
    }

    /** Waits up to five seconds for {@code condition}. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
