package dev.sluice.cache.internal;

import dev.sluice.cache.BackendHealth;
import dev.sluice.core.SecretValues;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jnosql.communication.keyvalue.BucketManager;
import org.eclipse.jnosql.databases.redis.communication.RedisBucketManagerFactory;
import org.eclipse.jnosql.databases.redis.communication.RedisConfiguration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one connection pool to the shared Redis: key-value entries go through Eclipse JNoSQL's
 * {@link BucketManager}, scripts and hashes through the Jedis driver underneath it (JNoSQL has no
 * API for atomic scripts).
 *
 * <p>It never lets Redis fail a call. The first failed command marks Redis down: from then on every
 * operation answers "not available" at once (callers fall back to their in-process store), while a
 * background probe pings Redis every retry interval; when it answers again, the recovery action
 * runs (replaying what could not be written) and operations go to Redis again.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());

    private final RedisSettings settings;
    private final JedisPool pool;
    private final JedisClientConfig subscriberConfig;
    private final RedisBucketManagerFactory buckets;
    private final ScheduledFuture<?> probing;
    private volatile Runnable onRecovery = () -> { };
    private volatile boolean up = true;
    private volatile Instant since = Instant.now();
    private volatile String detail;

    /**
     * @param scheduler where the probe runs while Redis is down: the container's managed scheduled
     *     executor, a plain one in unit tests; its owner shuts it down, {@link #close} stops the probe
     */
    public RedisConnection(RedisSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        if (settings.password() != null) {
            SecretValues.register(settings.password());
        }
        int millis = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .database(settings.database())
                .ssl(settings.ssl())
                .clientName("sluice");
        if (settings.password() != null && !settings.password().isEmpty()) {
            client.password(settings.password());
            if (settings.user() != null && !settings.user().isEmpty()) {
                client.user(settings.user());
            }
        }
        this.subscriberConfig = client.socketTimeoutMillis(0).clientName("sluice-subscriber").build();
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(settings.poolSize());
        poolConfig.setMaxIdle(settings.poolSize());
        poolConfig.setMinIdle(Math.min(2, settings.poolSize()));
        poolConfig.setMaxWait(settings.timeout());
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, new HostAndPort(settings.host(), settings.port()),
                client.socketTimeoutMillis(millis).clientName("sluice").build());
        this.buckets = new RedisConfiguration().get(pool);
        long every = Math.max(100, settings.retryInterval().toMillis());
        this.probing = scheduler.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        // find out now whether Redis answers, so the first call does not wait for a timeout
        if (!ping()) {
            LOG.warning(() -> "Redis at " + settings.address() + " does not answer (" + detail
                    + "): cache and rate limits work per node until it does");
        } else {
            LOG.info(() -> "Cache and rate limits shared through Redis at " + settings.address());
        }
    }

    /**
     * A connection of its own, outside the pool, without a read timeout: for a subscription, which
     * holds its connection for as long as it listens. The caller closes it.
     */
    public Jedis dedicated() {
        return new Jedis(new HostAndPort(settings.host(), settings.port()), subscriberConfig);
    }

    /** What runs once each time Redis answers again after an outage. */
    public void onRecovery(Runnable action) {
        this.onRecovery = action;
    }

    public RedisSettings settings() {
        return settings;
    }

    public boolean isUp() {
        return up;
    }

    /** The key of {@code name} in Sluice's namespace, as Jedis commands must spell it. */
    public String key(String name) {
        return settings.namespace() + ":" + name;
    }

    /** Runs a Jedis command; empty when Redis is down (or went down running it). */
    public <T> Optional<T> jedis(Function<Jedis, T> command) {
        if (!up) {
            return Optional.empty();
        }
        try (Jedis jedis = pool.getResource()) {
            return Optional.ofNullable(command.apply(jedis));
        } catch (JedisException e) {
            failed(e);
            return Optional.empty();
        }
    }

    /** Runs a Jedis command for its effect; false when Redis is down. */
    public boolean jedisRun(Consumer<Jedis> command) {
        return jedis(j -> {
            command.accept(j);
            return Boolean.TRUE;
        }).isPresent();
    }

    /**
     * Runs an operation on the JNoSQL bucket of Sluice's namespace (its keys are
     * {@code namespace:key}); empty when Redis is down.
     */
    public <T> Optional<T> bucket(Function<BucketManager, T> operation) {
        if (!up) {
            return Optional.empty();
        }
        try (BucketManager bucket = buckets.apply(settings.namespace())) {
            return Optional.ofNullable(operation.apply(bucket));
        } catch (JedisException e) {
            failed(e);
            return Optional.empty();
        }
    }

    public BackendHealth health() {
        return new BackendHealth("redis", up ? "redis" : "in-process", !up,
                up ? null : "Redis at " + settings.address() + " does not answer: " + detail, since);
    }

    private void failed(JedisException e) {
        if (e instanceof JedisDataException) {
            // a command error (wrong type, script error) is not an outage: report it, keep going
            LOG.log(Level.WARNING, "Redis refused a command: " + SecretValues.mask(String.valueOf(e.getMessage())));
            return;
        }
        markDown(e);
    }

    private synchronized void markDown(Exception e) {
        detail = SecretValues.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
        if (up) {
            up = false;
            since = Instant.now();
            LOG.warning(() -> "Redis at " + settings.address() + " stopped answering (" + detail
                    + "): cache and rate limits now work per node; retrying every "
                    + settings.retryInterval().toMillis() + " ms");
        }
    }

    private boolean ping() {
        try (Jedis jedis = pool.getResource()) {
            jedis.ping();
            return true;
        } catch (JedisException e) {
            markDown(e);
            return false;
        }
    }

    private void probe() {
        if (up) {
            return;
        }
        boolean answered;
        try (Jedis jedis = pool.getResource()) {
            jedis.ping();
            answered = true;
        } catch (JedisException e) {
            detail = SecretValues.mask(e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        if (answered) {
            synchronized (this) {
                up = true;
                since = Instant.now();
                detail = null;
            }
            LOG.info(() -> "Redis at " + settings.address() + " answers again: cache and rate limits are shared again");
            try {
                onRecovery.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Replaying work after Redis came back failed", e);
            }
        }
    }

    @Override
    public void close() {
        probing.cancel(true);
        buckets.close();
        pool.close();
    }
}
