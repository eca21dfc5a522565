/**
 * The stateless era of the MCP endpoint (protocol 2026-07-28): every request checked and answered on
 * its own ({@code StatelessEra}, {@code StatelessExchange}, {@code StatelessResults}), calls whose
 * upstream asks the client for input answered round by round ({@code InputExchanges},
 * {@code InputExchange}, {@code StatelessChannel}), and {@code subscriptions/listen} streams
 * ({@code ListenStream}).
 */
package dev.sluice.app.internal.mcp.stateless;
