package dev.sluice.cache;

import java.util.function.Consumer;

/**
 * Messages to every Sluice node that shares the cache's Redis (Redis pub/sub), or to this node alone
 * without Redis: for what must reach the node that holds some state, such as the client's answer to
 * a request another node sent it. Delivery is at most once; while Redis is down, messages reach this
 * node only.
 */
public interface SharedMessages {

    /** Whether messages can reach other nodes (a Redis is configured). */
    boolean shared();

    /** Sends {@code message} on {@code topic} to every node, this one included. */
    void publish(String topic, String message);

    /** Receives every message of {@code topic} from now on. */
    void subscribe(String topic, Consumer<String> receiver);
}
