package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CacheStats;
import dev.sluice.cache.CachedResult;
import dev.sluice.cache.Lookup;
import dev.sluice.core.CacheCategory;
import dev.sluice.core.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The result cache, once in this node's memory and once in the shared Redis: the same contract,
 * each with what only it can do.
 */
class CacheEngineTest {
    static final Duration LONG = Duration.ofMinutes(5);
    static final int MAX_ENTRY_BYTES = 1024;

    static CacheSettings settings() {
        return new CacheSettings(Map.of(), MAX_ENTRY_BYTES, 16L * 1024 * 1024);
    }

    static CacheKey key(String server, String tool, String args) {
        return CacheKey.of(server, tool, "shared", Json.parse(args));
    }

    static ObjectNode result(String text) {
        ObjectNode result = Json.object();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", false);
        return result;
    }

    /** Looks up (a miss), then stores {@code result} with that lookup. */
    static void store(CacheEngine cache, CacheKey key, ObjectNode result, Duration ttl, Duration stale) {
        Lookup miss = cache.lookup(key, stale);
        assertThat(miss.entry()).as("%s was not cached yet", key).isNull();
        assertThat(cache.put(miss, result, ttl, stale)).isTrue();
    }

    static ObjectNode found(CacheEngine cache, CacheKey key) {
        CachedResult entry = cache.lookup(key, Duration.ZERO).entry();
        return entry == null ? null : entry.result();
    }

    /** What every store must do. */
    abstract static class Contract {
        CacheEngine cache;
        final List<AutoCloseable> toClose = new ArrayList<>();

        abstract CacheEngine newEngine(CacheSettings settings);

        /** A time-to-live the store honours, and how long to wait for it to pass. */
        abstract Duration shortTtl();

        abstract long pastShortTtlMillis();

        @BeforeEach
        void open() {
            cache = newEngine(settings());
        }

        @AfterEach
        void closeAll() throws Exception {
            for (AutoCloseable c : toClose) {
                c.close();
            }
        }

        @Test
        void aResultFetchedBeforeAWriteStaysUnreadableEvenAfterAClear() {
            // clearing moves an epoch on rather than resetting the versions, so a lookup taken before a write's
            // invalidation never matches again
            CacheKey k = key("postgres", "query", "{}");
            Lookup before = cache.lookup(k, Duration.ZERO);

            cache.invalidate("postgres", null);
            cache.clear();
            cache.put(before, result("before the write"), LONG, Duration.ZERO);

            assertThat(found(cache, k)).isNull();
        }

        @Test
        void aMissThenAPutThenAHitOfTheSameResult() {
            CacheKey k = key("postgres", "list_tables", "{\"schema\":\"public\"}");
            ObjectNode result = result("orders, customers");
            Instant before = Instant.now();

            Lookup miss = cache.lookup(k, Duration.ZERO);
            assertThat(miss.entry()).isNull();
            assertThat(miss.found()).isEmpty();
            assertThat(miss.key()).isEqualTo(k);
            assertThat(cache.put(miss, result, LONG, Duration.ZERO)).isTrue();

            Lookup hit = cache.lookup(CacheKey.of("postgres", "list_tables", "shared",
                    Json.parse("{ \"schema\" : \"public\" }")), Duration.ZERO);
            assertThat(hit.found()).isPresent();
            CachedResult entry = hit.entry();
            assertThat(entry.result()).isEqualTo(result("orders, customers"));
            assertThat(entry.isFresh(Instant.now())).isTrue();
            assertThat(entry.storedAt()).isBetween(before.minusMillis(1), Instant.now());
            assertThat(Duration.between(entry.storedAt(), entry.freshUntil())).isEqualTo(LONG);
        }

        @Test
        void theCacheHandsOutCopies() {
            CacheKey k = key("postgres", "list_tables", "{}");
            ObjectNode original = result("orders");
            store(cache, k, original, LONG, Duration.ZERO);

            original.put("isError", true); // the caller keeps using what it stored
            ObjectNode first = found(cache, k);
            first.put("tampered", "yes");
            first.withArray("content").removeAll();

            assertThat(found(cache, k)).isEqualTo(result("orders"));
        }

        @Test
        void anotherKeyIsAnotherEntry() {
            store(cache, key("postgres", "query", "{\"sql\":\"select 1\"}"), result("1"), LONG, Duration.ZERO);

            assertThat(found(cache, key("postgres", "query", "{\"sql\":\"select 2\"}"))).isNull();
            assertThat(found(cache, CacheKey.of("postgres", "query", "user:bob",
                    Json.parse("{\"sql\":\"select 1\"}")))).as("another scope").isNull();
            assertThat(found(cache, key("postgres", "query", "{\"sql\":\"select 1\"}"))).isEqualTo(result("1"));
        }

        @Test
        void anEntryIsGoneAfterItsTimeToLive() throws InterruptedException {
            CacheKey k = key("postgres", "health", "{}");
            store(cache, k, result("ok"), shortTtl(), Duration.ZERO);
            assertThat(found(cache, k)).isNotNull();

            Thread.sleep(pastShortTtlMillis());

            assertThat(cache.lookup(k, Duration.ZERO).entry()).isNull();
            // the store dropped it: even a caller that accepts stale entries gets nothing
            assertThat(cache.lookup(k, Duration.ofMinutes(1)).entry()).isNull();
        }

        @Test
        void anExpiredEntryAnswersWithinTheStaleWindowButIsNotFresh() throws InterruptedException {
            CacheKey k = key("postgres", "profile", "{\"table\":\"orders\"}");
            Duration stale = Duration.ofMinutes(1);
            store(cache, k, result("profile"), shortTtl(), stale);

            Thread.sleep(pastShortTtlMillis());
            long missesBefore = cache.stats().misses();
            long hitsBefore = cache.stats().hits();

            Lookup lookup = cache.lookup(k, stale);
            assertThat(lookup.entry()).isNotNull();
            assertThat(lookup.entry().result()).isEqualTo(result("profile"));
            assertThat(lookup.entry().isFresh(Instant.now())).isFalse();
            assertThat(cache.stats().misses()).as("a stale entry counts as a miss").isEqualTo(missesBefore + 1);
            assertThat(cache.stats().hits()).isEqualTo(hitsBefore);
            // a caller that does not accept stale entries does not get it
            assertThat(cache.lookup(k, Duration.ZERO).entry()).isNull();
        }

        @Test
        void invalidatingAServerDropsItsEntriesOnly() {
            CacheKey pgQuery = key("postgres", "query", "{}");
            CacheKey pgTables = key("postgres", "list_tables", "{}");
            CacheKey duck = key("duckdb", "query", "{}");
            store(cache, pgQuery, result("a"), LONG, Duration.ZERO);
            store(cache, pgTables, result("b"), LONG, Duration.ZERO);
            store(cache, duck, result("c"), LONG, Duration.ZERO);

            cache.invalidate("postgres", null);

            assertThat(found(cache, pgQuery)).isNull();
            assertThat(found(cache, pgTables)).isNull();
            assertThat(cache.lookup(pgTables, Duration.ofMinutes(10)).entry())
                    .as("not even as a stale answer").isNull();
            assertThat(found(cache, duck)).isEqualTo(result("c"));
            assertThat(cache.stats().invalidations()).isEqualTo(1);

            // and the server caches again afterwards
            store(cache, pgQuery, result("a2"), LONG, Duration.ZERO);
            assertThat(found(cache, pgQuery)).isEqualTo(result("a2"));
        }

        @Test
        void invalidatingAToolDropsThatToolsEntriesOnly() {
            CacheKey pgQuery = key("postgres", "query", "{}");
            CacheKey pgQuery2 = key("postgres", "query", "{\"sql\":\"select 2\"}");
            CacheKey pgTables = key("postgres", "list_tables", "{}");
            CacheKey duckQuery = key("duckdb", "query", "{}");
            store(cache, pgQuery, result("a"), LONG, Duration.ZERO);
            store(cache, pgQuery2, result("a2"), LONG, Duration.ZERO);
            store(cache, pgTables, result("b"), LONG, Duration.ZERO);
            store(cache, duckQuery, result("c"), LONG, Duration.ZERO);

            cache.invalidate("postgres", "query");

            assertThat(found(cache, pgQuery)).isNull();
            assertThat(found(cache, pgQuery2)).isNull();
            assertThat(found(cache, pgTables)).isEqualTo(result("b"));
            assertThat(found(cache, duckQuery)).as("the same tool name on another server").isEqualTo(result("c"));
        }

        @Test
        void aResultFetchedBeforeAWriteIsNeverReadAfterIt() {
            CacheKey k = key("postgres", "query", "{\"sql\":\"select count(*) from orders\"}");
            Lookup before = cache.lookup(k, Duration.ZERO);

            cache.invalidate("postgres", null); // a write lands while the upstream answers the read
            cache.put(before, result("41"), LONG, Duration.ZERO);

            assertThat(cache.lookup(k, Duration.ofMinutes(10)).entry()).isNull();
        }

        @Test
        void aResultFetchedBeforeAToolInvalidationIsNeverReadAfterIt() {
            CacheKey k = key("postgres", "query", "{}");
            CacheKey otherTool = key("postgres", "list_tables", "{}");
            Lookup before = cache.lookup(k, Duration.ZERO);
            Lookup otherBefore = cache.lookup(otherTool, Duration.ZERO);

            cache.invalidate("postgres", "query");
            cache.put(before, result("old"), LONG, Duration.ZERO);
            cache.put(otherBefore, result("tables"), LONG, Duration.ZERO);

            assertThat(found(cache, k)).isNull();
            assertThat(found(cache, otherTool)).as("another tool's version did not move").isEqualTo(result("tables"));
        }

        @Test
        void aResultFetchedBeforeAnotherServersWriteIsStillStored() {
            CacheKey k = key("postgres", "query", "{}");
            Lookup before = cache.lookup(k, Duration.ZERO);

            cache.invalidate("duckdb", null);

            assertThat(cache.put(before, result("fine"), LONG, Duration.ZERO)).isTrue();
            assertThat(found(cache, k)).isEqualTo(result("fine"));
        }

        @Test
        void aResultLargerThanTheEntryLimitIsNotStored() {
            CacheKey k = key("postgres", "query", "{\"sql\":\"select *\"}");
            Lookup miss = cache.lookup(k, Duration.ZERO);

            assertThat(cache.put(miss, result("x".repeat(2 * MAX_ENTRY_BYTES)), LONG, Duration.ZERO)).isFalse();

            assertThat(cache.lookup(k, Duration.ZERO).entry()).isNull();
            CacheStats stats = cache.stats();
            assertThat(stats.tooLarge()).isEqualTo(1);
            assertThat(stats.stores()).isZero();
            assertThat(stats.tools()).singleElement().satisfies(t -> {
                assertThat(t.tooLarge()).isEqualTo(1);
                assertThat(t.stores()).isZero();
            });
        }

        @Test
        void theEntryLimitIsInBytesOfJsonExactly() {
            ObjectNode atLimit = Json.object().put("t", "x".repeat(MAX_ENTRY_BYTES - 8));
            ObjectNode overLimit = Json.object().put("t", "x".repeat(MAX_ENTRY_BYTES - 7));
            assertThat(Json.write(atLimit)).hasSize(MAX_ENTRY_BYTES);
            CacheKey a = key("s", "t", "{\"n\":1}");
            CacheKey b = key("s", "t", "{\"n\":2}");

            assertThat(cache.put(cache.lookup(a, Duration.ZERO), atLimit, LONG, Duration.ZERO)).isTrue();
            assertThat(cache.put(cache.lookup(b, Duration.ZERO), overLimit, LONG, Duration.ZERO)).isFalse();
            assertThat(found(cache, a)).isEqualTo(atLimit);
            assertThat(found(cache, b)).isNull();
        }

        @Test
        void theEntryLimitCountsUtf8BytesNotCharacters() {
            // 600 two-byte characters: about 610 characters of JSON but more than 1,200 bytes
            ObjectNode accents = Json.object().put("t", "é".repeat(600));
            // 400 of them: about 810 bytes, within the limit
            ObjectNode fewer = Json.object().put("t", "é".repeat(400));
            CacheKey a = key("s", "t", "{\"n\":1}");
            CacheKey b = key("s", "t", "{\"n\":2}");

            assertThat(cache.put(cache.lookup(a, Duration.ZERO), accents, LONG, Duration.ZERO)).isFalse();
            assertThat(cache.put(cache.lookup(b, Duration.ZERO), fewer, LONG, Duration.ZERO)).isTrue();
            assertThat(found(cache, b)).isEqualTo(fewer);
            assertThat(cache.maxEntryBytes()).isEqualTo(MAX_ENTRY_BYTES);
        }

        @Test
        void statsCountHitsAndMissesPerTool() {
            CacheKey query = key("postgres", "query", "{}");
            CacheKey tables = key("postgres", "list_tables", "{}");
            store(cache, query, result("q"), LONG, Duration.ZERO); // 1 miss
            found(cache, query); // hit
            found(cache, query); // hit
            found(cache, key("postgres", "query", "{\"other\":1}")); // miss
            found(cache, tables); // miss
            cache.staleServed(tables);

            CacheStats stats = cache.stats();

            assertThat(stats.hits()).isEqualTo(2);
            assertThat(stats.misses()).isEqualTo(3);
            assertThat(stats.hitRatio()).isEqualTo(0.4);
            assertThat(stats.stores()).isEqualTo(1);
            assertThat(stats.staleServed()).isEqualTo(1);
            assertThat(stats.entries()).isEqualTo(1);
            assertThat(stats.tools()).hasSize(2);
            CacheStats.ToolStats busiest = stats.tools().get(0);
            assertThat(busiest.server()).isEqualTo("postgres");
            assertThat(busiest.tool()).isEqualTo("query");
            assertThat(busiest.hits()).isEqualTo(2);
            assertThat(busiest.misses()).isEqualTo(2);
            assertThat(busiest.hitRatio()).isEqualTo(0.5);
            assertThat(busiest.stores()).isEqualTo(1);
            CacheStats.ToolStats quiet = stats.tools().get(1);
            assertThat(quiet.tool()).isEqualTo("list_tables");
            assertThat(quiet.hits()).isZero();
            assertThat(quiet.misses()).isEqualTo(1);
            assertThat(quiet.hitRatio()).isZero();
            assertThat(quiet.staleServed()).isEqualTo(1);
        }

        @Test
        void aFreshCacheHasAZeroHitRatio() {
            CacheStats stats = cache.stats();

            assertThat(stats.hits()).isZero();
            assertThat(stats.misses()).isZero();
            assertThat(stats.hitRatio()).isZero();
            assertThat(stats.entries()).isZero();
            assertThat(stats.tools()).isEmpty();
        }

        @Test
        void clearDropsEverything() {
            CacheKey a = key("postgres", "query", "{}");
            CacheKey b = key("duckdb", "query", "{}");
            store(cache, a, result("a"), LONG, Duration.ZERO);
            store(cache, b, result("b"), LONG, Duration.ZERO);

            cache.clear();

            assertThat(found(cache, a)).isNull();
            assertThat(found(cache, b)).isNull();
            assertThat(cache.stats().entries()).isZero();
            store(cache, a, result("again"), LONG, Duration.ZERO);
            assertThat(found(cache, a)).isEqualTo(result("again"));
        }

        @Test
        void timeToLivesAreThePlansUnlessConfigured() {
            CacheEngine configured = newEngine(new CacheSettings(Map.of(CacheCategory.SCHEMA, Duration.ofMinutes(10)),
                    MAX_ENTRY_BYTES, 1024 * 1024));

            assertThat(configured.ttl(CacheCategory.SCHEMA)).isEqualTo(Duration.ofMinutes(10));
            assertThat(configured.ttl(CacheCategory.HEALTH)).isEqualTo(Duration.ofMinutes(1));
            assertThat(configured.ttl(CacheCategory.DEFAULT)).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Nested
    class InProcess extends Contract {
        @Override
        CacheEngine newEngine(CacheSettings settings) {
            return new CacheEngine(null, settings, Clock.systemUTC());
        }

        @Override
        Duration shortTtl() {
            return Duration.ofMillis(300);
        }

        @Override
        long pastShortTtlMillis() {
            return 450;
        }

        @Test
        void reportsItselfInProcessAndHealthy() {
            BackendHealth health = cache.health();

            assertThat(health.configured()).isEqualTo("in-process");
            assertThat(health.active()).isEqualTo("in-process");
            assertThat(health.degraded()).isFalse();
            assertThat(health.detail()).isNull();
            assertThat(cache.stats().backend()).isEqualTo(health);
        }

        @Test
        void freshnessFollowsTheClock() {
            MutableClock clock = new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
            CacheEngine timed = new CacheEngine(null, settings(), clock);
            CacheKey k = key("postgres", "query", "{}");
            Duration stale = Duration.ofMinutes(2);
            store(timed, k, result("r"), Duration.ofSeconds(10), stale);

            clock.advance(Duration.ofMillis(9_999));
            CachedResult fresh = timed.lookup(k, Duration.ZERO).entry();
            assertThat(fresh).isNotNull();
            assertThat(fresh.isFresh(clock.instant())).isTrue();
            assertThat(fresh.age(clock.instant())).isEqualTo(Duration.ofMillis(9_999));

            clock.advance(Duration.ofMillis(1)); // freshUntil
            assertThat(timed.lookup(k, Duration.ZERO).entry()).as("not fresh at freshUntil").isNull();
            CachedResult staleEntry = timed.lookup(k, stale).entry();
            assertThat(staleEntry).isNotNull();
            assertThat(staleEntry.isFresh(clock.instant())).isFalse();

            clock.advance(stale); // the last instant of the stale window
            assertThat(timed.lookup(k, stale).entry()).isNotNull();
            clock.advance(Duration.ofMillis(1));
            assertThat(timed.lookup(k, stale).entry()).as("past the stale window").isNull();
            assertThat(timed.stats().hits()).isEqualTo(1);
            assertThat(timed.stats().misses()).isEqualTo(5);
        }
    }

    @Nested
    class AgainstRedis extends Contract {
        String namespace;

        @Override
        CacheEngine newEngine(CacheSettings settings) {
            if (namespace == null) {
                namespace = TestRedis.namespace();
            }
            RedisConnection connection = TestRedis.connect(namespace);
            toClose.add(connection);
            return new CacheEngine(connection, settings, Clock.systemUTC());
        }

        @Override
        Duration shortTtl() {
            return Duration.ofSeconds(1);
        }

        @Override
        long pastShortTtlMillis() {
            return 1_600;
        }

        @AfterEach
        void deleteKeys() {
            TestRedis.deleteNamespace(namespace);
        }

        @Test
        void entriesLiveInRedisUnderTheNamespace() {
            store(cache, key("postgres", "query", "{}"), result("a"), LONG, Duration.ZERO);
            store(cache, key("duckdb", "query", "{}"), result("b"), LONG, Duration.ZERO);

            assertThat(TestRedis.keys(namespace, "cache:e:*")).hasSize(2);
            assertThat(cache.stats().entries()).isEqualTo(2);
            BackendHealth health = cache.health();
            assertThat(health.configured()).isEqualTo("redis");
            assertThat(health.active()).isEqualTo("redis");
            assertThat(health.degraded()).isFalse();
        }

        @Test
        void twoNodesShareEntriesAndInvalidations() {
            CacheEngine otherNode = newEngine(settings());
            CacheKey k = key("postgres", "list_tables", "{}");
            store(cache, k, result("orders"), LONG, Duration.ZERO);

            Lookup onOther = otherNode.lookup(k, Duration.ZERO);
            assertThat(onOther.entry()).isNotNull();
            assertThat(onOther.entry().result()).isEqualTo(result("orders"));
            assertThat(otherNode.stats().hits()).isEqualTo(1);

            otherNode.invalidate("postgres", null);

            assertThat(found(cache, k)).as("the other node's invalidation reaches this one").isNull();
        }

        @Test
        void aWriteOnAnotherNodeMakesThisNodesPendingResultUnreadable() {
            CacheEngine otherNode = newEngine(settings());
            CacheKey k = key("postgres", "query", "{}");
            Lookup before = cache.lookup(k, Duration.ZERO);

            otherNode.invalidate("postgres", "query");
            cache.put(before, result("old"), LONG, Duration.ZERO);

            assertThat(found(cache, k)).isNull();
            assertThat(found(otherNode, k)).isNull();
        }

        @Test
        void aHitIsFoundAgainAfterRedisForgetsItsScripts() {
            CacheKey k = key("postgres", "query", "{}");
            store(cache, k, result("a"), LONG, Duration.ZERO);
            assertThat(found(cache, k)).isEqualTo(result("a"));

            TestRedis.withJedis(j -> j.scriptFlush());

            assertThat(found(cache, k)).as("the lookup script is loaded again").isEqualTo(result("a"));
            assertThat(cache.health().degraded()).isFalse();
        }

        @Test
        void aRedisUserWithoutScriptingStillSharesEntriesInTwoRoundTrips() {
            String user = "sluice-noscript-" + UUID.randomUUID();
            TestRedis.withJedis(j -> j.aclSetUser(user, "on", ">secret-pw", "~*", "+@all", "-@scripting"));
            try (RedisConnection limited = new RedisConnection(new RedisSettings(TestRedis.HOST, TestRedis.PORT, user,
                    "secret-pw", 0, false, Duration.ofSeconds(2), 4, namespace, Duration.ofMillis(500)),
                    TestRedis.PROBES)) {
                CacheEngine noScripts = new CacheEngine(limited, settings(), Clock.systemUTC());
                CacheKey k = key("postgres", "query", "{}");
                store(noScripts, k, result("shared"), LONG, Duration.ZERO);

                assertThat(found(noScripts, k)).isEqualTo(result("shared"));
                assertThat(found(cache, k)).as("the entry is in Redis, not the limited node's memory")
                        .isEqualTo(result("shared"));
                assertThat(noScripts.health().degraded()).as("a refused script is not an outage").isFalse();
            } finally {
                TestRedis.withJedis(j -> j.aclDelUser(user));
            }
        }

        @Test
        void anotherNamespaceDoesNotSeeTheEntries() {
            CacheKey k = key("postgres", "query", "{}");
            store(cache, k, result("a"), LONG, Duration.ZERO);
            String otherNamespace = TestRedis.namespace();
            try (RedisConnection other = TestRedis.connect(otherNamespace)) {
                CacheEngine otherCluster = new CacheEngine(other, settings(), Clock.systemUTC());
                assertThat(found(otherCluster, k)).isNull();
            } finally {
                TestRedis.deleteNamespace(otherNamespace);
            }
        }

        @Test
        void clearLeavesOtherNamespacesAlone() {
            CacheKey k = key("postgres", "query", "{}");
            String otherNamespace = TestRedis.namespace();
            try (RedisConnection other = TestRedis.connect(otherNamespace)) {
                CacheEngine otherCluster = new CacheEngine(other, settings(), Clock.systemUTC());
                store(otherCluster, k, result("theirs"), LONG, Duration.ZERO);
                store(cache, k, result("ours"), LONG, Duration.ZERO);

                cache.clear();

                assertThat(found(cache, k)).isNull();
                assertThat(found(otherCluster, k)).isEqualTo(result("theirs"));
            } finally {
                TestRedis.deleteNamespace(otherNamespace);
            }
        }
    }
}
