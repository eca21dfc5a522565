package dev.sluice.core;

import java.time.Duration;
import java.util.Locale;

/**
 * How the results of a tool are cached, as the catalog states it for a server or for one tool.
 * Every field may be left unsaid (null): a tool's unsaid fields take the server's, and the server's
 * unsaid fields take the gateway's defaults (read tools cached, their category's time-to-live, no
 * stale answers, keys per permission scope).
 *
 * @param enabled whether results are cached at all; null: read tools are, write tools never
 * @param category the kind of result, which picks the time-to-live
 * @param ttl a time-to-live that overrides the category's
 * @param staleIfError how long after expiry an entry may still answer when the upstream is down;
 *     {@link Duration#ZERO} never
 * @param scope who may share an entry
 */
public record CachePolicy(Boolean enabled, CacheCategory category, Duration ttl, Duration staleIfError, Scope scope) {

    /** A policy that says nothing: every field comes from the level above. */
    public static final CachePolicy UNSET = new CachePolicy(null, null, null, null, null);

    /** Who may be answered with an entry another caller's call stored. */
    public enum Scope {
        /**
         * Callers with the same permissions (role, organisation, groups and API key scope; and the
         * same subject where the server's rules name users). The default.
         */
        PERMISSION,
        /** Only the same subject: for tools whose results depend on who asks. */
        USER,
        /** Everyone who may call the tool: for results that are the same whoever asks. */
        PUBLIC;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code permission}, {@code user} or {@code public}, ignoring case. */
        public static Scope parse(String text) {
            for (Scope s : values()) {
                if (s.id().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a cache scope (permission, user, public)");
        }
    }

    /** This policy with its unsaid fields taken from {@code base}. */
    public CachePolicy over(CachePolicy base) {
        if (base == null || base.equals(UNSET)) {
            return this;
        }
        // a category named here takes its own time-to-live, not one the level above set for another
        return new CachePolicy(enabled != null ? enabled : base.enabled,
                category != null ? category : base.category,
                ttl != null ? ttl : category != null ? null : base.ttl,
                staleIfError != null ? staleIfError : base.staleIfError,
                scope != null ? scope : base.scope);
    }
}
