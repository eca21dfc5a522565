package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Nested
    class Ladder {
        @Test
        void aHigherRoleIncludesEveryLowerOne() {
            assertThat(Role.ADMIN.includes(Role.ENGINEER)).isTrue();
            assertThat(Role.OWNER.includes(Role.VIEWER)).isTrue();
            assertThat(Role.ANALYST.includes(Role.ANALYST)).isTrue();
        }

        @Test
        void aLowerRoleDoesNotIncludeAHigherOne() {
            assertThat(Role.ANALYST.includes(Role.ENGINEER)).isFalse();
            assertThat(Role.VIEWER.includes(Role.ANALYST)).isFalse();
        }

        @Test
        void ranksRunFromOneForViewerToFiveForOwner() {
            assertThat(Role.VIEWER.rank()).isEqualTo(1);
            assertThat(Role.OWNER.rank()).isEqualTo(5);
        }
    }

    @Nested
    class Parsing {
        @Test
        void acceptsAnyCaseAndSurroundingBlanks() {
            assertThat(Role.parse(" Engineer ")).isEqualTo(Role.ENGINEER);
            assertThat(Role.parse("owner")).isEqualTo(Role.OWNER);
        }

        @Test
        void anUnknownRoleIsRefusedWithTheValidNames() {
            assertThatThrownBy(() -> Role.parse("superuser"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'superuser'")
                    .hasMessageContaining("viewer, analyst, engineer, admin, owner");
            assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
