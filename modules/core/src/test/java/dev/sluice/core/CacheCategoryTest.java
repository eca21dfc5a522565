package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheCategoryTest {

    @Test
    void defaultsAreTheIntegrationPlans() {
        assertThat(CacheCategory.SCHEMA.defaultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(CacheCategory.PROFILING.defaultTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(CacheCategory.ANALYTICS.defaultTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(CacheCategory.LINEAGE.defaultTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(CacheCategory.HEALTH.defaultTtl()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void idsAreLowerCase() {
        assertThat(CacheCategory.LINEAGE.id()).isEqualTo("lineage");
    }
}
