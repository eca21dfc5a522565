package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
    private static final CachePolicy SERVER = new CachePolicy(true, CacheCategory.ANALYTICS, Duration.ofMinutes(1),
            Duration.ofMinutes(10), CachePolicy.Scope.USER);

    @Test
    void aToolInheritsWhatItDoesNotSayFieldByField() {
        CachePolicy tool = new CachePolicy(null, null, null, Duration.ZERO, null);
        assertThat(tool.over(SERVER)).isEqualTo(new CachePolicy(true, CacheCategory.ANALYTICS, Duration.ofMinutes(1),
                Duration.ZERO, CachePolicy.Scope.USER));
    }

    @Test
    void aToolThatNamesACategoryTakesThatCategorysTimeToLiveNotTheServersTtl() {
        CachePolicy tool = new CachePolicy(null, CacheCategory.SCHEMA, null, null, null);
        CachePolicy merged = tool.over(SERVER);
        assertThat(merged.category()).isEqualTo(CacheCategory.SCHEMA);
        assertThat(merged.ttl()).as("the schema category's own time-to-live applies").isNull();
        assertThat(merged.enabled()).isTrue();
    }

    @Test
    void aToolsOwnTtlWins() {
        CachePolicy tool = new CachePolicy(false, CacheCategory.SCHEMA, Duration.ofSeconds(5), null, null);
        assertThat(tool.over(SERVER).ttl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tool.over(SERVER).enabled()).isFalse();
        assertThat(tool.over(CachePolicy.UNSET)).isSameAs(tool);
    }
}
