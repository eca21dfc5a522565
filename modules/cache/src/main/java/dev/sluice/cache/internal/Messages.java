package dev.sluice.cache.internal;

import dev.sluice.cache.SharedMessages;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * {@link SharedMessages} over Redis pub/sub: one channel per topic under the namespace, and one
 * subscriber thread per node on its own connection, which reconnects after an outage. Without Redis,
 * or while it is down, a message goes straight to this node's receivers.
 */
final class Messages implements SharedMessages, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Messages.class.getName());

    private final RedisConnection redis;
    private final ThreadFactory threads;
    private final Map<String, List<Consumer<String>>> receivers = new ConcurrentHashMap<>();
    private volatile Thread subscriber;
    private volatile Jedis listening;
    private volatile boolean closed;
    private final Listener listener = new Listener();

    /**
     * @param redis the shared Redis, or null for this node alone
     * @param threads makes the subscriber thread: the container's {@code ManagedThreadFactory}, a plain
     *     factory in unit tests
     */
    Messages(RedisConnection redis, ThreadFactory threads) {
        this.redis = redis;
        this.threads = threads;
    }

    @Override
    public boolean shared() {
        return redis != null;
    }

    @Override
    public void publish(String topic, String message) {
        if (redis != null && redis.jedisRun(j -> j.publish(channel(topic), message))) {
            return;
        }
        deliver(topic, message);
    }

    @Override
    public synchronized void subscribe(String topic, Consumer<String> receiver) {
        receivers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(receiver);
        if (redis != null && subscriber == null) {
            Thread t = threads.newThread(this::listen);
            if (t == null) {
                throw new IllegalStateException("no thread for the Redis subscriber: the application is stopping");
            }
            t.setName("sluice-redis-subscriber");
            t.setDaemon(true);
            t.start();
            subscriber = t;
        }
    }

    private String channel(String topic) {
        return redis.key("topic:" + topic);
    }

    private void deliver(String topic, String message) {
        for (Consumer<String> r : receivers.getOrDefault(topic, List.of())) {
            try {
                r.accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a receiver of '" + topic + "' failed", e);
            }
        }
    }

    /** Listens to every topic of the namespace until closed, reconnecting after each failure. */
    private void listen() {
        String pattern = redis.key("topic:*");
        while (!closed) {
            try (Jedis jedis = redis.dedicated()) {
                listening = jedis;
                jedis.psubscribe(listener, pattern);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.fine(() -> "Redis subscription lost (" + e.getClass().getSimpleName() + "); retrying");
            } finally {
                listening = null;
            }
            try {
                Thread.sleep(Math.max(100, redis.settings().retryInterval().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onPMessage(String pattern, String channel, String message) {
            String prefix = redis.key("topic:");
            if (channel.startsWith(prefix)) {
                deliver(channel.substring(prefix.length()), message);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener.isSubscribed()) {
                listener.punsubscribe();
            }
        } catch (RuntimeException ignored) {
            // the connection is going anyway
        }
        Jedis j = listening;
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        Thread t = subscriber;
        if (t != null) {
            t.interrupt();
        }
    }
}
