package it.support;

import dev.sluice.app.RepositoryFiles;
import java.util.List;
import java.util.Map;

/** A local stand-in of a model provider's API (tests/standins: openai-chat.mjs, anthropic-messages.mjs) that answers from scripts. */
public final class ModelStandIn {
    private ModelStandIn() {
    }

    /** Starts {@code tests/standins/<script>} on a port, accepting one API key. */
    public static UpstreamProcess start(String script, int port, String key) {
        return UpstreamProcess.listening(List.of("node", RepositoryFiles.resolve("tests/standins/" + script).toString(),
                "--port", Integer.toString(port), "--key", key), Map.of(), port, Gateway.tmp().resolve(script + "-" + port + ".log"));
    }
}
