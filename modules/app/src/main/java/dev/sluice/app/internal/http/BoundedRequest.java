package dev.sluice.app.internal.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body cannot be read past the limit, whatever it declared: a read that would pass
 * {@code limit} bytes fails with {@link BodyTooLargeException} (and marks the request with
 * {@link #EXCEEDED}), having read at most one byte more. The guard filter hands every request on
 * wrapped so, as a declared length says nothing about a chunked body.
 */
public final class BoundedRequest extends HttpServletRequestWrapper {
    /** Request attribute set (to {@code Boolean.TRUE}) once a read went over the limit. */
    public static final String EXCEEDED = "dev.sluice.body-too-large";

    private final long limit;
    private Bounded stream;
    private BufferedReader reader;

    public BoundedRequest(HttpServletRequest request, long limit) {
        super(request);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** Whether anything asked for the body yet (a stream or a reader). */
    public boolean bodyTouched() {
        return stream != null;
    }

    /** The bounded request in a chain of wrappers, or null. */
    public static BoundedRequest in(ServletRequest req) {
        ServletRequest r = req;
        while (r instanceof ServletRequestWrapper w) {
            if (w instanceof BoundedRequest b) {
                return b;
            }
            r = w.getRequest();
        }
        return null;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            stream = new Bounded(super.getInputStream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
        return reader;
    }

    private final class Bounded extends ServletInputStream {
        private final ServletInputStream in;
        private long count;

        Bounded(ServletInputStream in) {
            this.in = in;
        }

        private int counted(int n) throws IOException {
            if (n > 0) {
                count += n;
                if (count > limit) {
                    setAttribute(EXCEEDED, Boolean.TRUE);
                    throw new BodyTooLargeException(limit);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
            // never ask for more than one byte past the limit
            int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
            return counted(n);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
