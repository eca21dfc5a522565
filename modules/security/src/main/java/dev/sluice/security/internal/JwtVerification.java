package dev.sluice.security.internal;

import jakarta.enterprise.context.Dependent;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How bearer tokens are verified, under MicroProfile JWT's own keys ({@code mp.jwt.verify.*}, design
 * record 0006): the public key (inline or by location), its algorithms, the issuer and audiences, and
 * the clock skew and greatest age in seconds.
 */
@Dependent
@ConfigProperties(prefix = "mp.jwt.verify")
public class JwtVerification {
    @ConfigProperty(name = "publickey") Optional<String> publicKey;
    @ConfigProperty(name = "publickey.location") Optional<String> publicKeyLocation;
    @ConfigProperty(name = "publickey.algorithm") Optional<List<String>> algorithms;
    @ConfigProperty(name = "issuer") Optional<String> issuer;
    @ConfigProperty(name = "audiences") Optional<List<String>> audiences;
    @ConfigProperty(name = "clock.skew", defaultValue = "60") long clockSkewSeconds;
    @ConfigProperty(name = "token.age", defaultValue = "28800") long tokenAgeSeconds;
}
