package dev.sluice.app.internal.mcp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.SharedLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final EventLog log = new EventLog(100);

    @Nested
    class EventIds {

        @Test
        void nameTheStreamAndASequenceNumber() {
            assertThat(log.append("s1", "{\"a\":1}")).isEqualTo("s1-1");
            assertThat(log.append("s1", "{\"a\":2}")).isEqualTo("s1-2");
        }

        @Test
        void areNeverReusedAcrossStreams() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                ids.add(log.append("s1", "x"));
                ids.add(log.append("s2", "y"));
            }

            assertThat(ids).hasSize(20);
            assertThat(ids).allSatisfy(id -> assertThat(id).matches("s[12]-\\d+"));
        }
    }

    @Nested
    class Replay {

        @Test
        void returnsOnlyLaterEventsOfTheSameStreamOldestFirst() {
            String first = log.append("s1", "one");
            log.append("s2", "other stream");
            String second = log.append("s1", "two");
            log.append("s2", "other stream again");
            String third = log.append("s1", "three");

            assertThat(log.after(first)).extracting(EventLog.Entry::id).containsExactly(second, third);
            assertThat(log.after(first)).extracting(EventLog.Entry::data).containsExactly("two", "three");
            assertThat(log.after(first)).extracting(EventLog.Entry::stream).containsOnly("s1");
        }

        @Test
        void returnsNothingAfterTheNewestEvent() {
            log.append("s1", "one");
            String last = log.append("s1", "two");

            assertThat(log.after(last)).isEmpty();
        }

        @Test
        void returnsNothingForAnUnknownId() {
            log.append("s1", "one");
            log.append("s1", "two");

            assertThat(log.after("s1-99")).isEmpty();
            assertThat(log.after("s9-1")).isEmpty();
            assertThat(log.after("garbage")).isEmpty();
        }

        @Test
        void doesNotConfuseAStreamWithAnotherWhoseNameExtendsIt() {
            String mine = log.append("s1", "mine");
            log.append("s1-x", "not mine");
            String later = log.append("s1", "mine later");

            assertThat(log.after(mine)).extracting(EventLog.Entry::id).containsExactly(later);
        }

        @Test
        void keepsPrimingEventsWithoutData() {
            String priming = log.append("s1", null);
            String event = log.append("s1", "data");
            String after = log.append("s1", null);

            assertThat(log.after(priming)).extracting(EventLog.Entry::id).containsExactly(event, after);
            assertThat(log.after(priming).get(1).data()).isNull();
        }
    }

    @Nested
    class Capacity {

        @Test
        void dropsTheOldestEventsFirst() {
            EventLog small = new EventLog(3);
            String e1 = small.append("s1", "1");
            String e2 = small.append("s1", "2");
            String e3 = small.append("s1", "3");
            String e4 = small.append("s1", "4");
            String e5 = small.append("s1", "5");

            assertThat(small.after(e1)).as("e1 was dropped, so it is unknown").isEmpty();
            assertThat(small.after(e2)).as("e2 was dropped, so it is unknown").isEmpty();
            assertThat(small.after(e3)).extracting(EventLog.Entry::id).containsExactly(e4, e5);
        }

        @Test
        void isSharedByAllStreamsOfTheLog() {
            EventLog small = new EventLog(2);
            String a1 = small.append("a", "1");
            small.append("a", "2");
            String b1 = small.append("b", "1");
            String b2 = small.append("b", "2");

            assertThat(small.after(a1)).as("a's events were pushed out by b's").isEmpty();
            assertThat(small.after(b1)).extracting(EventLog.Entry::id).containsExactly(b2);
        }
    }

    @Nested
    class StreamOf {

        @Test
        void isTheIdWithoutItsSequenceNumber() {
            assertThat(EventLog.streamOf("s1-42")).isEqualTo("s1");
            assertThat(EventLog.streamOf(log.append("s7", "x"))).isEqualTo("s7");
        }

        @Test
        void keepsDashesInsideTheStreamName() {
            assertThat(EventLog.streamOf("get-stream-3-17")).isEqualTo("get-stream-3");
        }

        @Test
        void isEmptyForAnIdWithoutSequenceOrNoIdAtAll() {
            assertThat(EventLog.streamOf("nodash")).isEmpty();
            assertThat(EventLog.streamOf(null)).isEmpty();
        }
    }

    @Nested
    class StreamIds {

        @Test
        void nameTheirNodeAndKind() {
            assertThat(EventLog.kindOf("Ab-_9xYz.g3")).isEqualTo('g');
            assertThat(EventLog.kindOf("Ab-_9xYz.p12")).isEqualTo('p');
            assertThat(EventLog.kindOf("s1")).isEqualTo((char) 0);
            assertThat(EventLog.kindOf("")).isEqualTo((char) 0);
        }

        @Test
        void tellAnAnswerStreamsEventFromAGetStreamsAndFromForeignIds() {
            assertThat(EventLog.ofAnswerStream("Ab-_9xYz.p12-40")).isTrue();
            assertThat(EventLog.ofStandaloneStream("Ab-_9xYz.g3-2")).isTrue();
            assertThat(EventLog.ofAnswerStream("Ab-_9xYz.g3-2")).isFalse();
            assertThat(EventLog.ofAnswerStream("Ab-_9xYz.p12-x")).as("no sequence number").isFalse();
            assertThat(EventLog.ofAnswerStream("123")).isFalse();
            assertThat(EventLog.seqOf("Ab-_9xYz.p12-40")).isEqualTo(40);
            assertThat(EventLog.seqOf("garbage")).isEqualTo(-1);
        }
    }

    @Nested
    class Shared {
        /** Redis lists in memory: what two nodes would see of one Redis (the real one is tested in the cache module). */
        private final SharedLogs redis = new SharedLogs() {
            private final Map<String, List<String>> lists = new ConcurrentHashMap<>();

            @Override
            public boolean shared() {
                return true;
            }

            @Override
            public boolean append(String name, String entry, int capacity, Duration ttl) {
                List<String> list = lists.computeIfAbsent(name, n -> new ArrayList<>());
                list.add(entry);
                while (list.size() > capacity) {
                    list.remove(0);
                }
                return true;
            }

            @Override
            public Optional<List<String>> read(String name) {
                return Optional.of(List.copyOf(lists.getOrDefault(name, List.of())));
            }
        };

        @Test
        void anotherNodeReplaysAStreamItNeverSaw() {
            EventLog nodeA = new EventLog(100, redis, "digest", Duration.ofMinutes(1));
            EventLog nodeB = new EventLog(100, redis, "digest", Duration.ofMinutes(1));
            String primed = nodeA.append("A.p1", null);
            String first = nodeA.append("A.p1", "{\"n\":1}");
            nodeA.append("A.p2", "{\"other\":true}");
            String second = nodeA.append("A.p1", "{\"n\":2}");

            assertThat(nodeB.after(primed)).extracting(EventLog.Entry::id).containsExactly(first, second);
            assertThat(nodeB.after(first)).extracting(EventLog.Entry::data).containsExactly("{\"n\":2}");
            assertThat(nodeB.after(second)).isEmpty();
            assertThat(nodeB.after("A.p1-99")).as("an id the shared log does not hold").isEmpty();
        }

        @Test
        void keepsSessionsApart() {
            EventLog mine = new EventLog(100, redis, "mine", Duration.ofMinutes(1));
            EventLog theirs = new EventLog(100, redis, "theirs", Duration.ofMinutes(1));
            String id = mine.append("A.g1", "{\"secret\":1}");
            mine.append("A.g1", "{\"secret\":2}");

            assertThat(theirs.after(id)).isEmpty();
        }
    }
}
