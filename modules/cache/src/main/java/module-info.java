/**
 * Result caching and rate limiting: in-process by default, shared across Sluice nodes through
 * Redis when configured.
 */
open module dev.sluice.cache {
    requires transitive dev.sluice.core;
    requires jakarta.cdi;
    requires jakarta.concurrency;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires microprofile.config.api;
    requires java.logging;
    requires com.github.benmanes.caffeine;
    requires org.eclipse.jnosql.communication.key.value;
    requires org.eclipse.jnosql.communication.core;
    requires jnosql.redis;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;

    exports dev.sluice.cache;
}
