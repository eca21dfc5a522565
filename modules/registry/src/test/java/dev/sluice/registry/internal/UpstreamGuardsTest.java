package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.Resilience.Setting;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One guard per server, from its effective settings, built anew when its entry changes. */
class UpstreamGuardsTest {
    private static final String CATALOG = """
            servers:
              - name: pg
                transport: stdio
                command: pg
                resilience:
                  retry: {max-retries: 3}
                  circuit-breaker: {delay: PT10S}
              - {name: redis, transport: stdio, command: redis}
            """;
    private final FakeUpstream.TestCatalog catalog = new FakeUpstream.TestCatalog(CATALOG);
    private final Map<String, String> configuration = new HashMap<>();
    private final FakeUpstream.Heard heard = new FakeUpstream.Heard();
    private final UpstreamGuards guards = guards();

    private UpstreamGuards guards() {
        UpstreamListeners listeners = new UpstreamListeners();
        listeners.add(heard);
        return new UpstreamGuards(key -> Optional.ofNullable(configuration.get(key)), listeners);
    }

    @Test
    void aServersGuardIsBuiltOnFirstUseAndKept() {
        assertThat(guards.existing("pg")).isEmpty();

        UpstreamGuard pg = guards.guard(catalog.server("pg"));

        assertThat(guards.guard(catalog.server("pg"))).isSameAs(pg);
        assertThat(guards.existing("pg")).containsSame(pg);
        assertThat(guards.guard(catalog.server("redis"))).isNotSameAs(pg);
    }

    @Test
    void configurationForTheServerOverItsEntryOverConfigurationForAllOverDefaults() {
        configuration.put("sluice.resilience.servers.pg.retry.max-retries", "5");
        configuration.put("sluice.resilience.retry.max-retries", "1");
        configuration.put("sluice.resilience.bulkhead.max-concurrent", "7");
        configuration.put("sluice.resilience.circuit-breaker.delay", "PT1M");

        var settings = guards.guard(catalog.server("pg")).settings();

        assertThat(settings.integer(Setting.RETRY_MAX_RETRIES)).isEqualTo(5);
        assertThat(settings.duration(Setting.CIRCUIT_BREAKER_DELAY)).hasSeconds(10);
        assertThat(settings.integer(Setting.BULKHEAD_MAX_CONCURRENT)).isEqualTo(7);
        assertThat(settings.fraction(Setting.CIRCUIT_BREAKER_FAILURE_RATIO)).isEqualTo(0.5);
    }

    @Test
    void aConfigurationValueThatIsNotValidNamesTheServer() {
        configuration.put("sluice.resilience.bulkhead.max-wait", "-PT1S");

        SluiceException e = catchThrowableOfType(SluiceException.class, () -> guards.guard(catalog.server("redis")));

        assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(e.detail()).contains("configuration of upstream 'redis' is not valid")
                .contains("sluice.resilience.bulkhead.max-wait");
    }

    @Test
    void retriesAreToldToTheListeners() {
        configuration.put("sluice.resilience.retry.delay", "PT0S");
        UpstreamGuard guard = guards.guard(catalog.server("redis"));
        int[] attempts = {0};

        guard.call(true, () -> {
            if (attempts[0]++ == 0) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "not yet");
            }
            return Json.object();
        });

        assertThat(heard.events).containsExactly("redis retried upstream-unavailable");
    }

    @Test
    void aCatalogChangeForgetsTheGuardsOfServersWhoseEntryChanged() {
        UpstreamGuard pg = guards.guard(catalog.server("pg"));
        guards.guard(catalog.server("redis"));
        CatalogSnapshot before = catalog.snapshot;
        CatalogSnapshot after = CatalogParser.parse(CATALOG.replace("command: redis}", "command: redis, enabled: false}"),
                "test");

        guards.catalogChanged(new CatalogChanged(before, after));

        assertThat(guards.existing("pg")).containsSame(pg);
        assertThat(guards.existing("redis")).isEmpty();
    }
}
