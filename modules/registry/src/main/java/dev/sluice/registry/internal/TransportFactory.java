package dev.sluice.registry.internal;

import dev.sluice.registry.Catalog;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the transport to an upstream from its catalog entry: a stdio process, a Streamable HTTP
 * endpoint or a legacy SSE stream. Secret references are resolved (an entry defined at run time only
 * to what {@link RunTimeEntries} allows it, and its command checked again), URLs are checked by
 * {@link UpstreamUrls}, and a process is given only the inherited names of Sluice's environment and
 * its own variables.
 */
final class TransportFactory {
    /** The default of {@code sluice.upstreams.stdio.inherited-env}. */
    static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR");

    private final Catalog catalog;
    private final SecretReferences secrets;
    private final RunTimeEntries runTimeEntries;
    private final UpstreamUrls urls;
    private final Supplier<List<String>> inheritedNames;
    private final Map<String, String> ownEnvironment;
    private final HttpClients http;
    private final ReaderThreads readers;

    /**
     * @param secrets resolves the catalog's secret references: the environment, files, sealed secrets
     * @param inheritedNames the names of Sluice's environment variables a process inherits, asked at each start
     * @param ownEnvironment Sluice's own environment, where the inherited names are taken from
     * @param readers where a process's output is read
     */
    TransportFactory(Catalog catalog, SecretReferences secrets, RunTimeEntries runTimeEntries, UpstreamUrls urls,
            Supplier<List<String>> inheritedNames, Map<String, String> ownEnvironment, HttpClients http,
            ReaderThreads readers) {
        this.catalog = catalog;
        this.secrets = secrets;
        this.runTimeEntries = runTimeEntries;
        this.urls = urls;
        this.inheritedNames = inheritedNames;
        this.ownEnvironment = ownEnvironment;
        this.http = http;
        this.readers = readers;
    }

    /** A transport to {@code def}'s server, not started yet. */
    MessageTransport transport(ServerDefinition def) {
        String where = "server '" + def.name() + "'";
        String name = def.name();
        boolean runTime = catalog.definedAtRunTime(name);
        SecretReferences refs = runTime ? runTimeEntries.confine(secrets) : secrets;
        Transport t = def.transport();
        if (t instanceof Transport.Stdio s) {
            String command = refs.resolve(s.command(), where + " command", SealedSecrets.binding(name, "command"));
            if (runTime) {
                runTimeEntries.checkCommand(command, s.workingDirectory(), where);
            }
            List<String> args = new ArrayList<>();
            for (int i = 0; i < s.args().size(); i++) {
                args.add(refs.resolve(s.args().get(i), where + " argument", SealedSecrets.binding(name, "args." + i)));
            }
            Transport.Stdio resolved = new Transport.Stdio(command, s.args(), s.env(),
                    refs.resolve(s.workingDirectory(), where + " cwd", SealedSecrets.binding(name, "cwd")));
            return new StdioTransport(name, resolved, args, StdioTransport.environment(inheritedNames.get(),
                    ownEnvironment, refs.resolveAll(s.env(), where + " env", SealedSecrets.binding(name, "env."))),
                    readers);
        }
        if (t instanceof Transport.StreamableHttp h) {
            urls.check(h.url(), where);
            return new StreamableHttpTransport(name, h.url(), refs.resolveAll(h.headers(), where + " header",
                    SealedSecrets.binding(name, "headers.")), def.requestTimeout(), http);
        }
        Transport.Sse sse = (Transport.Sse) t;
        urls.check(sse.url(), where);
        return new LegacySseTransport(name, sse.url(), refs.resolveAll(sse.headers(), where + " header",
                SealedSecrets.binding(name, "headers.")), http);
    }
}
