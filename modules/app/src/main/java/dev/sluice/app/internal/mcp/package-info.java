/**
 * Sluice as an MCP server: the Streamable HTTP endpoint at {@code /mcp} and
 * {@code /mcp/{virtualServer}} (sessions, JSON or event-stream answers, the GET stream, resumption,
 * DELETE, origin checks) and the dispatcher that answers each MCP method from the federation and the
 * pipeline.
 */
package dev.sluice.app.internal.mcp;
