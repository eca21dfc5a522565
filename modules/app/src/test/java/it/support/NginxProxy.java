package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * nginx (the Debian package the test command installs) as a round-robin load balancer in front of
 * Sluice nodes, without stickiness, set up as the scale-out guide says: HTTP/1.1 to the nodes, no
 * response buffering (event streams flow), long read timeouts. Each response names the node that
 * served it in {@code X-Upstream} (nginx's {@code $upstream_addr}), so a test can see the spread.
 */
public final class NginxProxy implements AutoCloseable {
    private final Process process;
    private final int port;

    private NginxProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static NginxProxy roundRobin(int port, List<Integer> nodePorts, Path dir) {
        try {
            Files.createDirectories(dir.resolve("logs"));
            String servers = nodePorts.stream().map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=30s;")
                    .collect(Collectors.joining("\n"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log %1$s/logs/access.log;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      upstream sluice {
                    %2$s
                      }
                      server {
                        listen 127.0.0.1:%3$d;
                        location / {
                          proxy_pass http://sluice;
                          proxy_http_version 1.1;
                          proxy_set_header Connection "";
                          proxy_set_header Host $http_host;
                          proxy_buffering off;
                          proxy_request_buffering off;
                          proxy_read_timeout 1h;
                          add_header X-Upstream $upstream_addr always;
                        }
                      }
                    }
                    """.formatted(dir.toAbsolutePath(), servers, port));
            ProcessBuilder pb = new ProcessBuilder(List.of(nginx(), "-p", dir.toAbsolutePath().toString(),
                    "-c", dir.resolve("nginx.conf").toAbsolutePath().toString(), "-e", "stderr", "-g", "daemon off;"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile());
            Process p = pb.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            while (Instant.now().isBefore(deadline)) {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited with " + p.exitValue() + ": "
                            + Files.readString(dir.resolve("logs/nginx.out")));
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new NginxProxy(p, port);
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            p.destroyForcibly();
            throw new AssertionError("nginx did not listen on " + port + " within 15 s");
        } catch (IOException e) {
            throw new UncheckedIOException("nginx did not start (scripts/test-services.sh installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String nginx() {
        return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    }

    public int port() {
        return port;
    }

    public Http http() {
        return new Http("http://localhost:" + port);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
