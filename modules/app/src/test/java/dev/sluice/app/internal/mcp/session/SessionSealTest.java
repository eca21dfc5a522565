package dev.sluice.app.internal.mcp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionSealTest {
    private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static ObjectNode facts() {
        ObjectNode facts = Json.object().put("v", "2025-11-25").put("s", "").put("u", "ada");
        facts.putObject("c").putObject("elicitation");
        return facts;
    }

    @Test
    void whatIsSealedOpensWithTheSameKeyAndOnlyThere() {
        SessionSeal seal = SessionSeal.of(List.of(KEY_1));
        String id = seal.seal(facts());

        assertThat(id).startsWith("s1.").doesNotContain("ada").doesNotContain("elicitation");
        assertThat(seal.open(id)).contains(facts());
        assertThat(SessionSeal.of(List.of(KEY_2)).open(id)).as("another key").isEmpty();
        assertThat(SessionSeal.of(List.of()).open(id)).as("a random key").isEmpty();
    }

    @Test
    void twoSealsOfTheSameFactsDiffer() {
        SessionSeal seal = SessionSeal.of(List.of(KEY_1));
        assertThat(seal.seal(facts())).isNotEqualTo(seal.seal(facts()));
    }

    @Test
    void anAlteredOrMalformedIdOpensToNothing() {
        SessionSeal seal = SessionSeal.of(List.of(KEY_1));
        String id = seal.seal(facts());
        char last = id.charAt(id.length() - 5);
        String altered = id.substring(0, id.length() - 5) + (last == 'A' ? 'B' : 'A') + id.substring(id.length() - 4);

        assertThat(seal.open(altered)).isEmpty();
        assertThat(seal.open("s1.")).isEmpty();
        assertThat(seal.open("s1.!!!")).isEmpty();
        assertThat(seal.open("a-random-session-id")).isEmpty();
        assertThat(seal.open(null)).isEmpty();
    }

    @Test
    void keysRotate_theFirstSealsAndEveryKeyOpens() {
        String old = SessionSeal.of(List.of(KEY_1)).seal(facts());
        SessionSeal rotated = SessionSeal.of(List.of(KEY_2, KEY_1));

        assertThat(rotated.open(old)).as("an id sealed before the rotation").contains(facts());
        assertThat(SessionSeal.of(List.of(KEY_2)).open(rotated.seal(facts()))).isPresent();
    }

    @Test
    void aKeyOfTheWrongSizeIsNamedByPositionNotShown() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SessionSeal.of(List.of(KEY_1, shortKey)))
                .hasMessageContaining("key 2").hasMessageContaining("16 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> SessionSeal.of(List.of("not base64 at all!"))).hasMessageContaining("key 1");
    }

    @Test
    void aTaskIdAndASessionIdNeverOpenAsEachOther() {
        SessionSeal seal = SessionSeal.of(List.of(KEY_1));
        ObjectNode task = Json.object().put("v", "").put("s", "fixture").put("n", "slow_compute").put("u", "ada")
                .put("i", "upstream-7");
        String taskId = seal.sealTask(task);
        String sessionId = seal.seal(facts());

        assertThat(taskId).startsWith("t1.").doesNotContain("upstream-7").doesNotContain("ada");
        assertThat(seal.openTask(taskId)).contains(task);
        assertThat(seal.open(taskId)).as("a task id used as a session id").isEmpty();
        assertThat(seal.openTask(sessionId)).as("a session id used as a task id").isEmpty();
        // the same sealed bytes under the other prefix: the purpose is bound into the seal, not the prefix
        assertThat(seal.openTask("t1." + sessionId.substring(3))).isEmpty();
        assertThat(seal.open("s1." + taskId.substring(3))).isEmpty();
        assertThat(SessionSeal.of(List.of(KEY_2)).openTask(taskId)).as("another node's keys").isEmpty();
    }
}
