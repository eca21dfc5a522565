package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.FederatedList;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Federated lists reach clients page by page, with cursors they cannot forge into nonsense. */
class PagingTest {
    private static final FederatedList SEVEN = new FederatedList(
            IntStream.range(0, 7).mapToObj(i -> Json.object().put("name", "t" + i)).toList(), List.of(), List.of());

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Test
    void followingTheCursorsYieldsEveryEntryOnceInOrder() {
        List<String> seen = new ArrayList<>();
        ObjectNode params = Json.object();
        int pages = 0;
        while (true) {
            JsonNode page = McpDispatcher.page(SEVEN, "tools", params, 3);
            seen.addAll(names(page));
            pages++;
            if (!page.has("nextCursor")) {
                break;
            }
            params = Json.object().put("cursor", page.get("nextCursor").asText());
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    }

    @Test
    void aPageSizeOfZeroMeansOnePage() {
        JsonNode page = McpDispatcher.page(SEVEN, "tools", Json.object(), 0);
        assertThat(names(page)).hasSize(7);
        assertThat(page.has("nextCursor")).isFalse();
    }

    @Test
    void aForgedCursorIsInvalidParams() {
        assertThatThrownBy(() -> McpDispatcher.page(SEVEN, "tools", Json.object().put("cursor", "bm9wZQ"), 3))
                .isInstanceOf(SluiceException.class).hasMessageContaining("invalid cursor");
        assertThatThrownBy(() -> McpDispatcher.page(SEVEN, "tools", Json.object().put("cursor", "%%%"), 3))
                .isInstanceOf(SluiceException.class);
    }

    @Test
    void unavailableServersAndProblemsTravelInMeta() {
        FederatedList list = new FederatedList(List.of(), List.of("down: could not be started"), List.of("x: offered twice"));
        JsonNode meta = McpDispatcher.page(list, "tools", Json.object(), 3).path("_meta").path("dev.sluice/federation");
        assertThat(meta.path("unavailable").get(0).asText()).startsWith("down");
        assertThat(meta.path("problems").get(0).asText()).startsWith("x");
    }
}
