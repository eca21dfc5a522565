/**
 * Everything the application assembles, by feature: {@code http} (security headers, CORS, body limit), {@code mcp} (the MCP endpoint),
 * {@code pipeline} (the tool-call pipeline), {@code rest} (resources and exception mappers),
 * {@code persistence} (schema migration), {@code health} (MicroProfile Health checks).
 */
package dev.sluice.app.internal;
