/**
 * Everything the application assembles, by feature: {@code http} (security headers, CORS, body limit,
 * request ids), {@code mcp} (the MCP endpoint, both protocol eras), {@code pipeline} (the pipeline's
 * assembly and the calls it runs), {@code rest} (resources and exception mappers), {@code security}
 * (request authentication, list visibility), {@code agents} (the agents' tool gateway),
 * {@code persistence} (schema migration, catalog changes), {@code health} (health checks, upstream metrics).
 */
package dev.sluice.app.internal;
