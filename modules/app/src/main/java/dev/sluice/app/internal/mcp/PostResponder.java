package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The answer to one POST that carried a request. It starts as plain JSON and turns into an event
 * stream only when something must reach the client before the response (a progress notification, a
 * log message, a sampling request): simple calls stay cheap, and nothing is lost for the others.
 */
final class PostResponder {
    private final McpSession session;
    private final HttpServletResponse response;
    private final boolean primeStreams;
    private SseStream stream;
    private boolean finished;

    PostResponder(McpSession session, HttpServletResponse response, boolean primeStreams) {
        this.session = session;
        this.response = response;
        this.primeStreams = primeStreams;
    }

    /** Sends a message ahead of the response, switching to an event stream; false once finished. */
    synchronized boolean send(ObjectNode message) {
        if (finished) {
            return false;
        }
        try {
            if (stream == null) {
                stream = new SseStream(session, session.newStreamId(), response, null);
                stream.begin(primeStreams);
            }
        } catch (IOException e) {
            return false;
        }
        return stream.send(message);
    }

    /** Sends the response: as the last event of the stream, or as the JSON body. */
    synchronized void finish(ObjectNode message) throws IOException {
        finished = true;
        if (stream != null) {
            stream.send(message);
            return;
        }
        byte[] body = Json.bytes(message);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Mcp-Session-Id", session.id());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    synchronized boolean isFinished() {
        return finished;
    }
}
