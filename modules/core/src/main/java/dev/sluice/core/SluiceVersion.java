package dev.sluice.core;

/** The version of Sluice that is running, from the build's jar manifest ({@code dev} in an IDE). */
public final class SluiceVersion {
    private static final String CURRENT = read();

    private SluiceVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        String version = SluiceVersion.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }
}
