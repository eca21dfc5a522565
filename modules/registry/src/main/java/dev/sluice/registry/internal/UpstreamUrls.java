package dev.sluice.registry.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which addresses an upstream URL may reach. Link-local addresses (where clouds serve instance
 * metadata and credentials: 169.254.169.254, fd00:ec2::254 …), the unspecified address and multicast
 * are always refused; loopback and private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)
 * only when configuration allows them ({@code sluice.registry.upstream-urls.allow-loopback},
 * {@code allow-private}; both true by default, for upstreams beside Sluice and on its network).
 * Every address the host name resolves to must pass. Checked when an entry is defined through the
 * API and whenever a connection is made.
 */
@ApplicationScoped
public class UpstreamUrls {
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal");

    @Inject
    @ConfigProperty(name = "sluice.registry.upstream-urls.allow-loopback", defaultValue = "true")
    boolean allowLoopback;

    @Inject
    @ConfigProperty(name = "sluice.registry.upstream-urls.allow-private", defaultValue = "true")
    boolean allowPrivate;

    UpstreamUrls() {
    }

    UpstreamUrls(boolean allowLoopback, boolean allowPrivate) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    /**
     * @throws SluiceException {@link ErrorKind#UPSTREAM_UNAVAILABLE} naming the URL's host and why it
     *     is refused (never the URL's credentials)
     */
    public void check(URI url, String where) {
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw refused(where, "(no host)", "it has no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (METADATA_HOSTS.contains(bare.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""))) {
            throw refused(where, host, "it is a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return; // unknown now: the connection fails on its own and says so; checked again when it is made
        }
        for (InetAddress a : addresses) {
            String why = refusal(a);
            if (why != null) {
                throw refused(where, host, why + " (" + a.getHostAddress() + ")");
            }
        }
    }

    /** Why an address is refused, or null. */
    String refusal(InetAddress a) {
        if (a.isLinkLocalAddress() || isIpv4LinkLocal(a) || isAwsIpv6Metadata(a)) {
            return "it is link-local, where cloud metadata services answer";
        }
        if (a.isAnyLocalAddress()) {
            return "it is the unspecified address";
        }
        if (a.isMulticastAddress()) {
            return "it is a multicast address";
        }
        if (a.isLoopbackAddress() && !allowLoopback) {
            return "it is a loopback address and sluice.registry.upstream-urls.allow-loopback is false";
        }
        if (isPrivate(a) && !allowPrivate) {
            return "it is a private address and sluice.registry.upstream-urls.allow-private is false";
        }
        return null;
    }

    private static boolean isIpv4LinkLocal(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
    }

    private static boolean isAwsIpv6Metadata(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet6Address && (b[0] & 0xff) == 0xfd && (b[1] & 0xff) == 0x00 && (b[2] & 0xff) == 0x0e
                && (b[3] & 0xff) == 0xc2;
    }

    private static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a.isSiteLocalAddress()) {
            return true;
        }
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, shared address space
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
    }

    private static SluiceException refused(String where, String host, String why) {
        return new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, where + " may not reach " + host + ": " + why);
    }
}
