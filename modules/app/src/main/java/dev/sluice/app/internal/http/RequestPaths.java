package dev.sluice.app.internal.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The path a request is decided on. The raw request URI is what the client typed ({@code /%6Dcp},
 * {@code //mcp}, {@code /./mcp}, {@code /mcp;x}, {@code /api/../mcp}); the container routes on the
 * decoded and normalised path, so every decision about a request (does it need credentials, is it an
 * MCP endpoint) is made on that path too, never on the raw URI.
 */
public final class RequestPaths {
    private RequestPaths() {
    }

    /**
     * The decoded, normalised path the container routed the request by (servlet path and path
     * info), or the raw URI normalised the same way when the container gives none.
     */
    public static String of(HttpServletRequest req) {
        String servletPath = req.getServletPath() == null ? "" : req.getServletPath();
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        String routed = servletPath + info;
        return routed.isEmpty() ? normalise(req.getRequestURI()) : routed;
    }

    /**
     * Whether a request must carry credentials: the MCP endpoints and the REST API. Fails closed: the
     * routed path and the raw URI normalised here are both looked at, without regard to case.
     */
    public static boolean isProtected(HttpServletRequest req) {
        return isProtectedPath(of(req)) || isProtectedPath(normalise(req.getRequestURI()));
    }

    /** Whether a request is for an MCP endpoint (whose clients expect JSON-RPC), decided like {@link #isProtected}. */
    public static boolean isMcp(HttpServletRequest req) {
        return JsonResponses.isMcp(of(req).toLowerCase(Locale.ROOT))
                || JsonResponses.isMcp(normalise(req.getRequestURI()).toLowerCase(Locale.ROOT));
    }

    static boolean isProtectedPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return JsonResponses.isMcp(p) || p.startsWith("/api/");
    }

    /**
     * A raw request URI as a path: path parameters ({@code ;x}) dropped, percent-escapes decoded
     * (as UTF-8), empty segments and {@code .} removed, {@code ..} applied (never above the root).
     */
    static String normalise(String rawUri) {
        if (rawUri == null || rawUri.isEmpty()) {
            return "/";
        }
        String raw = rawUri;
        int query = raw.indexOf('?');
        if (query >= 0) {
            raw = raw.substring(0, query);
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String s = decode(parameters >= 0 ? segment.substring(0, parameters) : segment);
            // a decoded segment may hold slashes of its own (%2F): treat them as separators too
            for (String part : s.split("/", -1)) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    segments.pollLast();
                } else {
                    segments.addLast(part);
                }
            }
        }
        boolean trailing = raw.endsWith("/") && !segments.isEmpty();
        return "/" + String.join("/", segments) + (trailing ? "/" : "");
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
