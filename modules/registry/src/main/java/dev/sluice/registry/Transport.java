package dev.sluice.registry;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How Sluice reaches an upstream server. Values in {@code env} and {@code headers} may be secret
 * references ({@code ${env:NAME}}, {@code ${file:/path}}), resolved only when connecting.
 */
public sealed interface Transport permits Transport.Stdio, Transport.StreamableHttp, Transport.Sse {

    /** The name used in the catalog: {@code stdio}, {@code streamable-http} or {@code sse}. */
    String kind();

    /**
     * A local process speaking MCP on its standard input and output. Started directly (never
     * through a shell), so no argument is ever interpreted by one.
     */
    record Stdio(String command, List<String> args, Map<String, String> env, String workingDirectory)
            implements Transport {
        public Stdio {
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args == null ? List.of() : args);
            env = Map.copyOf(env == null ? Map.of() : env);
        }

        @Override
        public String kind() {
            return "stdio";
        }
    }

    /** An MCP server at a Streamable HTTP endpoint. */
    record StreamableHttp(URI url, Map<String, String> headers) implements Transport {
        public StreamableHttp {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers == null ? Map.of() : headers);
        }

        @Override
        public String kind() {
            return "streamable-http";
        }
    }

    /** An MCP server on the legacy HTTP+SSE transport (GET stream plus POST endpoint). */
    record Sse(URI url, Map<String, String> headers) implements Transport {
        public Sse {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers == null ? Map.of() : headers);
        }

        @Override
        public String kind() {
            return "sse";
        }
    }
}
