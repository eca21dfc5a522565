package dev.sluice.app.internal.mcp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/** HTTP details both protocol eras of the MCP endpoint share: content negotiation and the end of a stream. */
public final class McpHttp {
    /** The header that names the protocol version a request speaks. */
    public static final String VERSION_HEADER = "MCP-Protocol-Version";

    private McpHttp() {
    }

    /** Whether the request's {@code Accept} header takes {@code type} (or anything). */
    public static boolean accepts(HttpServletRequest req, String type) {
        String accept = req.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return a.contains(type) || a.contains("*/*");
    }

    /** Runs {@code action} once an asynchronous response ends, however it ends. */
    public static void onEnd(AsyncContext async, Runnable action) {
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onError(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // nothing to do
            }
        });
    }
}
