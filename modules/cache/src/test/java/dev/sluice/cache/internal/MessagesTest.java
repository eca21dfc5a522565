package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void withoutRedisAMessageReachesThisNodesReceiversOfItsTopicOnly() {
        Messages messages = new Messages(null, Thread::new);
        List<String> answers = new ArrayList<>();
        List<String> others = new ArrayList<>();
        messages.subscribe("answers", answers::add);
        messages.subscribe("other", others::add);

        messages.publish("answers", "one");

        assertThat(answers).containsExactly("one");
        assertThat(others).isEmpty();
    }

    @Test
    void throughRedisAMessageOfOneNodeReachesAnother() throws InterruptedException {
        String namespace = TestRedis.namespace();
        RedisConnection a = TestRedis.connect(namespace);
        RedisConnection b = TestRedis.connect(namespace);
        Messages onA = new Messages(a, Thread::new);
        Messages onB = new Messages(b, Thread::new);
        toClose.addAll(List.of(onA, onB, a, b));
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        onB.subscribe("answers", received::add);

        // the subscription starts on its own thread: publish until it is listening
        String got = null;
        for (int i = 0; i < 50 && got == null; i++) {
            onA.publish("answers", "from a");
            got = received.poll(100, TimeUnit.MILLISECONDS);
        }
        assertThat(got).isEqualTo("from a");

        // another namespace (another cluster on the same Redis) hears nothing
        RedisConnection c = TestRedis.connect(TestRedis.namespace());
        Messages elsewhere = new Messages(c, Thread::new);
        toClose.addAll(List.of(elsewhere, c));
        received.clear();
        elsewhere.publish("answers", "from another cluster");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void theOneSubscriberThreadComesFromTheFactoryGivenNamedAndADaemon() {
        RedisConnection redis = TestRedis.connect(TestRedis.namespace());
        List<Thread> made = new ArrayList<>();
        Messages messages = new Messages(redis, task -> {
            Thread t = new Thread(task);
            made.add(t);
            return t;
        });
        toClose.addAll(List.of(messages, redis));

        messages.subscribe("answers", m -> { });
        messages.subscribe("other", m -> { });

        assertThat(made).hasSize(1);
        assertThat(made.get(0).getName()).isEqualTo("sluice-redis-subscriber");
        assertThat(made.get(0).isDaemon()).isTrue();
        assertThat(made.get(0).isAlive()).isTrue();
    }
}
