package dev.sluice.app.internal.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A POST request with a body, for the few methods the body bound and the id reader use. */
final class FakeRequest {
    final Map<String, Object> attributes = new HashMap<>();
    private final ByteArrayInputStream body;
    private final int size;
    private final long declared;

    FakeRequest(byte[] body, long declared) {
        this.body = new ByteArrayInputStream(body);
        this.size = body.length;
        this.declared = declared;
    }

    int consumed() {
        return size - body.available();
    }

    HttpServletRequest proxy() {
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return body.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return body.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return body.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (p, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> in;
                    case "getMethod" -> "POST";
                    case "getContentLengthLong" -> declared;
                    case "getCharacterEncoding" -> null;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
