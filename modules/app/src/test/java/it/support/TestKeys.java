package it.support;

/**
 * Credentials the integration tests give the nodes they start. Each node stores
 * {@link #OWNER} as its bootstrap owner key on first start ({@code SLUICE_SECURITY_BOOTSTRAP_KEY}),
 * and {@link Http} sends it unless a test asks for other credentials.
 */
public final class TestKeys {
    /** The bootstrap owner key of every node the tests start (a test value: 32+ characters after the prefix). */
    public static final String OWNER = "sk-sluice-it0wner0000Kq7vX2mN9pL4rT8wY1zB5cD3fG6hJ";

    private TestKeys() {
    }

    public static String bearer(String credential) {
        return "Bearer " + credential;
    }
}
