/**
 * Everything the application assembles, by feature: {@code rest} (resources and exception mappers),
 * {@code persistence} (schema migration), {@code health} (MicroProfile Health checks).
 */
package dev.sluice.app.internal;
