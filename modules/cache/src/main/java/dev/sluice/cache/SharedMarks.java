package dev.sluice.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * Named marks with a lifetime, seen by every Sluice node that shares the cache's Redis (by this node
 * alone without Redis): small facts such as "this session ended" or "this session was used lately".
 * Marking never fails a call; while Redis is down a mark is kept in this node only.
 */
public interface SharedMarks {

    /** Sets the mark {@code name} for {@code ttl} (again: its lifetime starts over). */
    void put(String name, Duration ttl);

    /**
     * Whether the mark {@code name} is set: from Redis when it is configured and up, else from this
     * node's memory.
     *
     * @return empty when Redis is configured but down and this node holds no such mark: nobody can say
     */
    Optional<Boolean> present(String name);
}
