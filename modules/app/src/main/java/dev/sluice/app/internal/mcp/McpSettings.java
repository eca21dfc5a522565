package dev.sluice.app.internal.mcp;

import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP endpoint's configuration, every {@code sluice.mcp.*} key with its default in one place
 * (injected with {@code @Inject @ConfigProperties McpSettings}); the reference is
 * {@code src-docs/reference/configuration.md}.
 */
@Dependent
@ConfigProperties(prefix = "sluice.mcp")
public class McpSettings {
    // who may reach the endpoint from a browser: Origin and Host (DNS rebinding)
    @ConfigProperty(name = "allowed-origins") public Optional<List<String>> allowedOrigins;
    @ConfigProperty(name = "allowed-hosts") public Optional<List<String>> allowedHosts;

    // session era: sessions, their signing keys, and when a POST's answer turns into a stream
    @ConfigProperty(name = "session-idle-timeout", defaultValue = "PT1H") public Duration sessionIdleTimeout;
    @ConfigProperty(name = "session-keys") public Optional<List<String>> sessionKeys;
    @ConfigProperty(name = "stream-after", defaultValue = "PT1S") public Duration streamAfter;
    @ConfigProperty(name = "release-stream-after") public Optional<Duration> releaseStreamAfter;
    @ConfigProperty(name = "event-log.capacity", defaultValue = "1000") public int eventLogCapacity;
    @ConfigProperty(name = "event-log.ttl", defaultValue = "PT15M") public Duration eventLogTtl;

    // stateless era: a call still running answers as a stream after this (until then an error keeps
    // its own HTTP status, which a stream's 200 cannot), and a held stream is probed this often
    @ConfigProperty(name = "stateless-stream-after", defaultValue = "PT1S") public Duration statelessStreamAfter;
    @ConfigProperty(name = "stream-probe-interval", defaultValue = "PT1S") public Duration streamProbeInterval;

    // lists: entries a page
    @ConfigProperty(name = "page-size", defaultValue = "500") public int pageSize;
}
