package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarksTest {
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
    void inProcessAMarkLastsItsTimeToLive() throws InterruptedException {
        Marks marks = new Marks(null);
        assertThat(marks.present("session-ended:x")).contains(false);

        marks.put("session-ended:x", Duration.ofMillis(200));
        assertThat(marks.present("session-ended:x")).contains(true);
        Thread.sleep(300);
        assertThat(marks.present("session-ended:x")).contains(false);
    }

    @Test
    void inRedisAMarkOfOneNodeIsSeenByAnother() {
        namespace = TestRedis.namespace();
        RedisConnection a = TestRedis.connect(namespace);
        RedisConnection b = TestRedis.connect(namespace);
        toClose.add(a);
        toClose.add(b);

        new Marks(a).put("session-ended:y", Duration.ofMinutes(1));

        assertThat(new Marks(b).present("session-ended:y")).contains(true);
        assertThat(new Marks(b).present("session-ended:z")).contains(false);
    }
}
