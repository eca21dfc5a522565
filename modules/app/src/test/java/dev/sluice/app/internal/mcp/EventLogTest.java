package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
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
}
