package dev.sluice.app.internal.mcp;

import java.security.SecureRandom;
import java.util.Base64;

/** The ids this node makes: its own name among its peers, and random ids nobody can guess. */
public final class NodeIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * This node among its peers: part of every id this node gives a request it sends a client, a
     * stream it opens or an input exchange it runs, so that what comes back finds its way here.
     */
    public static final String NODE = newId().substring(0, 8);

    private NodeIds() {
    }

    /** 128 random bits, base64url without padding. */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
