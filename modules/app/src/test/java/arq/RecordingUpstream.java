package arq;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream of the in-container tests: an MCP server on stdio (the session era, one tool
 * {@code echo}) that appends every {@code tools/call} it receives, as sent, to the file named by its
 * first argument, so a test can tell whether a call reached it. Plain JDK only: the catalog
 * ({@code catalog-arq.yaml}) runs it as {@code java -cp target/test-classes arq.RecordingUpstream LOG}.
 * It reads what Sluice's own client writes (one JSON-RPC message per line, {@code jsonrpc} and
 * {@code id} first), not JSON in general.
 */
public final class RecordingUpstream {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern VERSION = Pattern.compile("\"protocolVersion\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RecordingUpstream() {
    }

    public static void main(String[] args) throws IOException {
        Path log = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(log.getParent());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Matcher method = METHOD.matcher(line);
            Matcher id = ID.matcher(line);
            if (!method.find() || !id.find()) {
                continue; // a notification (initialized, cancelled …) or an answer: nothing to say
            }
            String result = switch (method.group(1)) {
                case "initialize" -> initialize(line);
                case "ping" -> "{}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"echo\",\"description\":\"Answers the text it is given\","
                        + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}}]}";
                case "tools/call" -> {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    Matcher text = TEXT.matcher(line);
                    yield "{\"content\":[{\"type\":\"text\",\"text\":\"" + (text.find() ? text.group(1) : "") + "\"}]}";
                }
                default -> null;
            };
            out.println(result == null
                    ? "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1)
                            + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"
                    : "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":" + result + "}");
        }
    }

    private static String initialize(String line) {
        Matcher version = VERSION.matcher(line);
        return "{\"protocolVersion\":\"" + (version.find() ? version.group(1) : "2025-06-18") + "\","
                + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"recording\",\"version\":\"1\"}}";
    }
}
