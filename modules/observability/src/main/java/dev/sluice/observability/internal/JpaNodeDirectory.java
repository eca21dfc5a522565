package dev.sluice.observability.internal;

import dev.sluice.observability.NodeDirectory;
import dev.sluice.observability.NodeInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link NodeDirectory} kept in the {@code sluice_nodes} table through Jakarta Persistence. */
@ApplicationScoped
public class JpaNodeDirectory implements NodeDirectory {
    @Inject
    @ConfigProperties
    ObservabilitySettings settings;

    /** Entries of nodes silent for longer than this are removed when a node starts. */
    static final Duration RETENTION = Duration.ofDays(7);

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "http.port", defaultValue = "9080")
    String httpPort;

    private final Clock clock = Clock.systemUTC();
    private String selfId;
    private String host;
    private volatile String version = "dev";

    /** Not transactional: every audit record asks for it (an interceptor and a transaction per call, otherwise). */
    @Override
    public String selfId() {
        if (selfId == null) {
            host = hostName();
            selfId = settings.nodeId.filter(id -> !id.isBlank()).orElse(host + ":" + httpPort);
        }
        return selfId;
    }

    Duration heartbeat() {
        return settings.nodeHeartbeat;
    }

    /** Writes this node's entry as just started and forgets nodes silent beyond the retention window. */
    @Transactional
    public void register(String version) {
        this.version = version;
        Instant now = clock.instant();
        String id = selfId();
        em.createQuery("delete from NodeEntity n where n.lastSeenAt < :cutoff")
                .setParameter("cutoff", now.minus(RETENTION))
                .executeUpdate();
        NodeEntity node = em.find(NodeEntity.class, id);
        if (node == null) {
            em.persist(new NodeEntity(id, host, version, now));
        } else {
            node.host = host;
            node.version = version;
            node.startedAt = now;
            node.lastSeenAt = now;
        }
    }

    /** Refreshes this node's last-seen time, writing its entry again if it is missing. */
    @Transactional
    public void beat() {
        Instant now = clock.instant();
        NodeEntity node = em.find(NodeEntity.class, selfId());
        if (node == null) {
            em.persist(new NodeEntity(selfId(), host, version, now));
        } else {
            node.lastSeenAt = now;
        }
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NodeInfo> nodes() {
        Instant aliveAfter = clock.instant().minus(settings.nodeHeartbeat.multipliedBy(3));
        return em.createQuery("select n from NodeEntity n order by n.startedAt desc", NodeEntity.class)
                .getResultStream()
                .map(n -> new NodeInfo(n.nodeId, n.host, n.version, n.startedAt, n.lastSeenAt,
                        n.lastSeenAt.isAfter(aliveAfter)))
                .toList();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
