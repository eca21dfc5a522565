/**
 * Sluice as an MCP server: the Streamable HTTP endpoint at {@code /mcp} and
 * {@code /mcp/{virtualServer}}, and what both protocol eras share. {@code McpServlet} only routes:
 * origin checks, the virtual server, and the era a request speaks. {@code McpDispatcher} answers each
 * MCP method from the federation and the pipeline; {@code McpNotifier} passes on what upstreams
 * announce; {@code TaskIds} names upstream tasks for clients. The eras live in {@code session}
 * (2025-03-26 to 2025-11-25, and the legacy HTTP+SSE transport of 2024-11-05) and {@code stateless}
 * (2026-07-28); what crosses between nodes in {@code relay}.
 */
package dev.sluice.app.internal.mcp;
