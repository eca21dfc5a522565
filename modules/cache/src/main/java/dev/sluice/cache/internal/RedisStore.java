package dev.sluice.cache.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.CacheKey;
import dev.sluice.core.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.jnosql.communication.Value;
import org.eclipse.jnosql.communication.keyvalue.KeyValueEntity;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The shared cache in Redis. Entries are JNoSQL key-value entries
 * ({@code <namespace>:cache:e:<server>:<tool>:<version>:<digest>}, value
 * {@code storedAt;freshUntil;json}) with a Redis expiry; the version of a server's and each tool's
 * entries is a Redis hash ({@code <namespace>:cache:v:<server>}, field {@code *} for the server and
 * one per tool), prefixed by a cache-wide epoch ({@code <namespace>:cache:epoch}) that clearing
 * moves on. Invalidating sets a new random version: every node's next lookup misses at once, and
 * the old entries expire on their own.
 */
final class RedisStore implements EntryStore {
    private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
    private static final String SERVER_FIELD = "*";
    private static final String EPOCH_KEY = "cache:epoch";
    private static final int SCAN_LIMIT = 1_000_000;

    /**
     * {@link #lookup} in one round trip: the epoch, the server's and the tool's versions, and the entry at
     * the version they make (KEYS: epoch, versions; ARGV: tool, the entry key before and after the version).
     */
    private static final String LOOKUP = "local e = redis.call('GET', KEYS[1]) or '0' "
            + "local v = redis.call('HMGET', KEYS[2], ARGV[1], ARGV[2]) "
            + "local version = e .. '.' .. (v[1] or '0') .. '.' .. (v[2] or '0') "
            + "return {version, redis.call('GET', ARGV[3] .. version .. ARGV[4])}";

    private final RedisConnection redis;
    private volatile String lookupSha;
    private volatile boolean scriptsRefused;

    RedisStore(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public String version(CacheKey key) {
        return redis.jedis(j -> {
            Pipeline p = j.pipelined();
            Response<String> epoch = p.get(redis.key(EPOCH_KEY));
            Response<List<String>> versions = p.hmget(redis.key(versionsKey(key.server())), SERVER_FIELD, key.tool());
            p.sync();
            List<String> v = versions.get();
            return (epoch.get() == null ? "0" : epoch.get()) + "."
                    + (v.get(0) == null ? "0" : v.get(0)) + "." + (v.get(1) == null ? "0" : v.get(1));
        }).orElse(null);
    }

    @Override
    public Found lookup(CacheKey key) {
        if (scriptsRefused) {
            return EntryStore.super.lookup(key);
        }
        List<String> keys = List.of(redis.key(EPOCH_KEY), redis.key(versionsKey(key.server())));
        List<String> args = List.of(SERVER_FIELD, key.tool(), redis.key(entryPrefix(key)), entrySuffix(key));
        Found found = redis.jedis(j -> {
            Object reply;
            try {
                String sha = lookupSha;
                if (sha == null) {
                    sha = lookupSha = j.scriptLoad(LOOKUP);
                }
                reply = j.evalsha(sha, keys, args);
            } catch (JedisNoScriptException flushed) {
                // the server lost its scripts (a restart, SCRIPT FLUSH): load it again
                lookupSha = null;
                reply = j.eval(LOOKUP, keys, args);
            } catch (JedisDataException refused) {
                // an ACL without scripting (NOPERM) or a proxy without EVAL: two round trips from now on
                scriptsRefused = true;
                LOG.warning(() -> "Redis refuses Lua scripts (" + refused.getMessage()
                        + "): cache lookups take two round trips instead of one");
                return null;
            }
            List<?> values = (List<?>) reply;
            String value = values.size() > 1 ? (String) values.get(1) : null;
            return new Found((String) values.get(0), value == null ? null : decode(Json.parse(value).textValue()));
        }).orElse(null);
        // refused just now: the two round trips, on a connection of their own once this one is back
        return found == null && scriptsRefused ? EntryStore.super.lookup(key) : found;
    }

    @Override
    public Optional<Stored> get(CacheKey key, String version) {
        return redis.bucket(b -> b.get(entryKey(key, version)).map(RedisStore::decode).orElse(null));
    }

    @Override
    public boolean put(CacheKey key, String version, Stored entry, String json, Duration keep) {
        String value = entry.storedAtMillis() + ";" + entry.freshUntilMillis() + ";" + json;
        // Redis expiries are whole seconds here: round up so that a short entry is not dropped at once
        Duration seconds = Duration.ofSeconds(Math.max(1, (keep.toMillis() + 999) / 1000));
        return redis.bucket(b -> {
            b.put(KeyValueEntity.of(entryKey(key, version), value), seconds);
            return Boolean.TRUE;
        }).isPresent();
    }

    @Override
    public boolean invalidate(String server, String tool) {
        String fresh = UUID.randomUUID().toString().substring(0, 13);
        return redis.jedisRun(j -> j.hset(redis.key(versionsKey(server)), tool == null ? SERVER_FIELD : tool, fresh));
    }

    @Override
    public long entries() {
        return redis.jedis(j -> count(j, redis.key("cache:e:*"))).orElse(-1L);
    }

    @Override
    public boolean clear() {
        return redis.jedisRun(j -> {
            // a result fetched before the clear must not be stored as current after it
            j.incr(redis.key(EPOCH_KEY));
            ScanParams params = new ScanParams().match(redis.key("cache:e:*")).count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, params);
                if (!page.getResult().isEmpty()) {
                    j.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!"0".equals(cursor));
        });
    }

    private static long count(Jedis j, String pattern) {
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        long n = 0;
        do {
            ScanResult<String> page = j.scan(cursor, params);
            n += page.getResult().size();
            cursor = page.getCursor();
        } while (!"0".equals(cursor) && n < SCAN_LIMIT);
        return n;
    }

    private static String versionsKey(String server) {
        return "cache:v:" + server;
    }

    private static String entryKey(CacheKey key, String version) {
        return entryPrefix(key) + version + entrySuffix(key);
    }

    /** An entry key up to its version. */
    private static String entryPrefix(CacheKey key) {
        return "cache:e:" + key.server() + ":" + key.tool() + ":";
    }

    /** An entry key after its version. */
    private static String entrySuffix(CacheKey key) {
        return ":" + key.digest();
    }

    private static Stored decode(Value value) {
        return decode(value.get(String.class));
    }

    /** An entry's value as {@link #put} writes it (JNoSQL keeps it as a JSON string). */
    private static Stored decode(String text) {
        if (text == null) {
            return null;
        }
        int a = text.indexOf(';');
        int b = text.indexOf(';', a + 1);
        if (a < 0 || b < 0) {
            return null;
        }
        String json = text.substring(b + 1);
        return new Stored((ObjectNode) Json.parse(json), json.length(), Long.parseLong(text.substring(0, a)),
                Long.parseLong(text.substring(a + 1, b)));
    }
}
