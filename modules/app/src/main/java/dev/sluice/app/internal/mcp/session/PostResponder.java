package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The answer to one POST that carried a request. It starts as plain JSON and turns into an event
 * stream when something must reach the client before the response (a progress notification, a log
 * message, a sampling request) or when the call takes longer than {@code sluice.mcp.stream-after}:
 * simple calls stay cheap, slow ones show life early. A stream still open after
 * {@code sluice.mcp.release-stream-after} is released (closed; protocol 2025-11-25 polling): the
 * client resumes it with a GET and {@code Last-Event-ID} and gets the rest there.
 */
public final class PostResponder {
    private final McpSession session;
    private final HttpServletResponse response;
    private final boolean primeStreams;
    private SseStream stream;
    private boolean finished;
    private boolean released;

    public PostResponder(McpSession session, HttpServletResponse response, boolean primeStreams) {
        this.session = session;
        this.response = response;
        this.primeStreams = primeStreams;
    }

    /** Turns the answer into an event stream now (a no-op once it is one, or finished). */
    public synchronized void openStream() {
        if (!finished && stream == null) {
            try {
                stream = new SseStream(session, session.newStreamId('p'), response, null);
                stream.begin(primeStreams);
                session.producing(stream, true);
            } catch (IOException e) {
                finished = true;
            }
        }
    }

    /**
     * Whether the client still holds the answer stream: a comment line is written to find out. True
     * while the answer is still plain JSON (nothing to probe yet) or finished.
     */
    public synchronized boolean probe() {
        if (finished || released || stream == null) {
            return true;
        }
        return stream.keepAlive();
    }

    /** Ends the POST's stream before the response; what follows waits in the log for a resuming GET. */
    synchronized void release() {
        if (finished || released) {
            return;
        }
        openStream();
        if (stream == null) {
            return;
        }
        released = true;
        stream.handOver();
        try {
            response.getOutputStream().close();
        } catch (IOException e) {
            // the client left already; the events still wait in the log
        }
    }

    /** Sends a message ahead of the response, switching to an event stream; false once finished. */
    public synchronized boolean send(ObjectNode message) {
        if (finished) {
            return false;
        }
        openStream();
        return stream != null && stream.send(message);
    }

    public synchronized boolean isFinished() {
        return finished;
    }

    /** Sends the response: as the last event of the stream, or as the JSON body. */
    synchronized void finish(ObjectNode message) throws IOException {
        finish(message, 200);
    }

    /**
     * Sends the response: as the last event of the stream, or as the JSON body with {@code status}
     * (a stateless request's error has its own status; once streaming, the status was 200 already).
     */
    public synchronized void finish(ObjectNode message, int status) throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (stream != null) {
            stream.send(message); // a released or resumed stream hands it to whoever resumed it
            session.producing(stream, false);
            return;
        }
        if (!session.id().isEmpty()) { // a stateless request has no session to name
            response.setHeader("Mcp-Session-Id", session.id());
        }
        JsonResponses.write(response, status, message);
    }
}
