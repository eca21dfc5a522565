package dev.sluice.testservices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka 4 broker + KRaft controller in one process, for the extended MCP-server tests.
 *
 * <pre>
 * java -cp target/classes:$(cat target/classpath-kafka.txt) dev.sluice.testservices.KafkaService \
 *      [--port 9092] [--controller-port PORT+1] [--dir target/backing-services/kafka]
 * </pre>
 *
 * PLAINTEXT on localhost:--port (advertised as localhost:--port), the controller on localhost:--controller-port
 * (static quorum of this one node), logs in --dir/logs (formatted with kafka-storage's StorageTool on first start,
 * kept across restarts with the same cluster id), topic auto-creation on, replication factor 1 and min ISR 1 for the
 * internal topics (__consumer_offsets, __transaction_state, __share_group_state). Prints exactly one line
 * {@code READY localhost:<port>} on stdout once an admin client got the cluster's description through the
 * listener; stops cleanly on SIGTERM/SIGINT.
 */
public final class KafkaService {

    /** Fixed so that a restart on an existing --dir reuses its formatted logs (22 base64url chars = 16 bytes). */
    static final String CLUSTER_ID = "c2x1aWNlLXRlc3QtMDAwMQ";

    private KafkaService() {
    }

    public static void main(String[] args) throws Exception {
        int port = 9092;
        int controllerPort = -1;
        Path dir = Path.of("target", "backing-services", "kafka");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: KafkaService [--port 9092] [--controller-port PORT+1] [--dir DIR]");
                    System.exit(64);
                }
            }
        }
        if (controllerPort < 0) {
            controllerPort = port + 1;
        }
        dir = dir.toAbsolutePath();
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logs.toString());
        props.put("auto.create.topics.enable", "true");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        props.put("log.retention.hours", "24");
        // the log cleaner (for compacted __consumer_offsets) allocates its dedupe buffer on the heap: 128 MiB by default
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        Path serverProperties = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(serverProperties)) {
            props.store(out, "written by dev.sluice.testservices.KafkaService");
        }

        long t0 = System.nanoTime();
        format(serverProperties, logs);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("KafkaService: shutting down");
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                System.err.println("KafkaService: error during shutdown: " + e);
            }
            stopped.countDown();
            System.err.println("KafkaService: stopped");
        }, "kafka-shutdown"));

        server.startup();
        String bootstrap = "localhost:" + port;
        String clusterId = awaitClient(bootstrap);
        System.err.printf("KafkaService: Kafka %s up in %.1f s (cluster %s), logs in %s%n",
                org.apache.kafka.common.utils.internals.AppInfoParser.getVersion(), (System.nanoTime() - t0) / 1e9, clusterId,
                logs);
        System.out.println("READY " + bootstrap);
        System.out.flush();
        stopped.await();
    }

    /** kafka-storage format --ignore-formatted: a no-op when --dir already holds this cluster's logs. */
    private static void format(Path serverProperties, Path logs) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "--cluster-id", CLUSTER_ID, "--config",
                serverProperties.toString(), "--ignore-formatted"}, out);
        }
        String text = buf.toString(StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
            System.err.println("KafkaService: kafka-storage format: " + text.replace('\n', ' '));
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logs + " failed (exit " + rc + "): " + text);
        }
    }

    /** Waits until an admin client can describe the cluster through the PLAINTEXT listener; returns its id. */
    private static String awaitClient(String bootstrap) throws InterruptedException {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        Exception last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(conf)) {
                var cluster = admin.describeCluster();
                String id = cluster.clusterId().get(10, TimeUnit.SECONDS);
                if (!cluster.nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                    return id;
                }
            } catch (Exception e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("no client could reach the broker at " + bootstrap, last);
    }
}
