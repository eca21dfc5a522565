package dev.sluice.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AgentRoleTest {

    @Test
    void theFiveRolesHaveUrlFriendlyIds() {
        assertThat(Arrays.stream(AgentRole.values()).map(AgentRole::id)).containsExactly(
                "data-platform-engineer", "data-engineer", "analytics-engineer", "data-scientist", "data-analyst");
    }

    @Test
    void idsRoundTrip() {
        for (AgentRole role : AgentRole.values()) {
            assertThat(AgentRole.fromId(role.id())).isEqualTo(role);
        }
        assertThatThrownBy(() -> AgentRole.fromId("janitor")).hasMessageContaining("'janitor'");
    }
}
