package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogsTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String namespace;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (namespace != null) {
            TestRedis.deleteNamespace(namespace);
        }
    }

    @Test
    void withoutRedisNothingIsSharedOrKept() {
        Logs logs = new Logs(null);

        assertThat(logs.shared()).isFalse();
        assertThat(logs.append("events:a", "one", 10, Duration.ofMinutes(1))).isFalse();
        assertThat(logs.read("events:a")).isEmpty();
    }

    @Test
    void oneNodeAppendsAndAnotherReadsInOrderKeepingTheNewest() {
        namespace = TestRedis.namespace();
        RedisConnection a = TestRedis.connect(namespace);
        RedisConnection b = TestRedis.connect(namespace);
        toClose.add(a);
        toClose.add(b);

        Logs writer = new Logs(a);
        for (int i = 1; i <= 5; i++) {
            assertThat(writer.append("events:s1", "e" + i, 3, Duration.ofMinutes(1))).isTrue();
        }

        assertThat(new Logs(b).read("events:s1")).contains(List.of("e3", "e4", "e5"));
        assertThat(new Logs(b).read("events:other")).contains(List.of());
    }

    @Test
    void aLogExpiresItsTimeToLiveAfterTheLastAppend() throws InterruptedException {
        namespace = TestRedis.namespace();
        RedisConnection a = TestRedis.connect(namespace);
        toClose.add(a);
        Logs logs = new Logs(a);

        logs.append("events:s2", "e1", 10, Duration.ofMillis(300));
        Thread.sleep(200);
        logs.append("events:s2", "e2", 10, Duration.ofMillis(300));
        Thread.sleep(200);
        assertThat(logs.read("events:s2")).contains(List.of("e1", "e2"));
        Thread.sleep(300);
        assertThat(logs.read("events:s2")).contains(List.of());
    }
}
