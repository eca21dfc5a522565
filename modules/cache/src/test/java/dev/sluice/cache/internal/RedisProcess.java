package dev.sluice.cache.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A redis-server of the test's own, on a free port, that the test stops and starts again. Stopping
 * saves the data first (into the test's directory), so a restart brings back what Redis held: what
 * the test then sees is what Sluice did, not an empty Redis.
 */
final class RedisProcess implements AutoCloseable {
    final int port;
    final String password;
    private final Path dir;
    private Process process;

    RedisProcess(Path dir, String password) {
        this.dir = dir;
        this.password = password;
        this.port = freePort();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    RedisSettings settings(String namespace) {
        return new RedisSettings("127.0.0.1", port, null, password, 0, false, java.time.Duration.ofMillis(200), 2,
                namespace, java.time.Duration.ofMillis(200));
    }

    void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (password != null) {
            command.add("--requirepass");
            command.add(password);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Jedis jedis = client()) {
                jedis.ping();
                return;
            } catch (JedisException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Saves what Redis holds, then stops it (SIGTERM). */
    void stopKeepingData() throws InterruptedException {
        try (Jedis jedis = client()) {
            jedis.save();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    Jedis client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000)
                .socketTimeoutMillis(1000);
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
