/**
 * The session era of the MCP endpoint (protocol 2025-03-26 to 2025-11-25, and the legacy HTTP+SSE
 * transport of 2024-11-05): sessions and their sealed ids ({@code SessionStore}, {@code SessionSeal},
 * {@code McpSession}), POST, GET and DELETE of a session ({@code SessionEra}), answers that turn into
 * event streams and are resumed with {@code Last-Event-ID} ({@code PostResponder}, {@code SseStream},
 * {@code EventLog}), the way back to the client during a call ({@code SessionChannel}) and what the
 * client sends that is not a request ({@code ClientMessages}). The stateless era borrows the
 * streams, with a session of no id for its one request.
 */
package dev.sluice.app.internal.mcp.session;
