package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.registry.UpstreamListener;
import org.junit.jupiter.api.Test;

/** What the listeners of upstreams are told, and that one failing listener does not silence the others. */
class UpstreamListenersTest {
    private final UpstreamListeners listeners = new UpstreamListeners();
    private final FakeUpstream.Heard heard = new FakeUpstream.Heard();

    @Test
    void anUpstreamsListChangesAndResourceUpdatesArePassedOnAndOtherNotificationsAreNot() {
        listeners.add(heard);

        listeners.notification("pg", "notifications/tools/list_changed", null);
        listeners.notification("pg", "notifications/prompts/list_changed", null);
        listeners.notification("pg", "notifications/resources/list_changed", null);
        listeners.notification("pg", "notifications/resources/updated", Json.object().put("uri", "pg://t"));
        listeners.notification("pg", "notifications/something_else", Json.object());

        assertThat(heard.events).containsExactly("pg tools", "pg prompts", "pg resources", "pg updated pg://t");
    }

    @Test
    void aServerThatCameOrWentChangesAllItsLists() {
        listeners.add(heard);

        listeners.listsChanged("pg");

        assertThat(heard.events).containsExactly("pg tools", "pg prompts", "pg resources");
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromHearing() {
        listeners.add(new UpstreamListener() {
            @Override
            public void listChanged(String server, String kind) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void resourceUpdated(String server, ObjectNode params) {
                throw new IllegalStateException("broken");
            }
        });
        listeners.add(heard);

        listeners.notification("pg", "notifications/tools/list_changed", null);
        listeners.listsChanged("redis");

        assertThat(heard.events).containsExactly("pg tools", "redis tools", "redis prompts", "redis resources");
    }

    @Test
    void retriesAreTold() {
        listeners.add(heard);

        listeners.retried("pg", "upstream-unavailable");

        assertThat(heard.events).containsExactly("pg retried upstream-unavailable");
    }
}
