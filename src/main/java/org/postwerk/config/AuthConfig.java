package org.postwerk.config;

/**
 * Message authentication on inbound mail (the smtp role; authenticated submissions are not checked).
 *
 * @param spfVerify   check SPF (RFC 7208) at MAIL FROM
 * @param spfFail     what an SPF {@code fail} gets: tagged in Authentication-Results, or {@code 550 5.7.23}
 * @param receivedSpf also add a {@code Received-SPF} header field (RFC 7208 §9.1)
 * @param dkimVerify  verify DKIM signatures (RFC 6376)
 * @param dmarc       how a DMARC failure is enforced: as the domain's policy says, never harder than
 *                    quarantine, or not at all (results are still recorded); OFF: no DMARC evaluation
 * @param publicSuffixList a newer {@code public_suffix_list.dat} than the one bundled with the library,
 *                    for DMARC's organisational domains; empty: the bundled list
 */
public record AuthConfig(boolean spfVerify, SpfAction spfFail, boolean receivedSpf, boolean dkimVerify, DmarcAction dmarc,
                         java.util.Optional<java.nio.file.Path> publicSuffixList) {
    public AuthConfig(boolean spfVerify, SpfAction spfFail, boolean receivedSpf, boolean dkimVerify, DmarcAction dmarc) {
        this(spfVerify, spfFail, receivedSpf, dkimVerify, dmarc, java.util.Optional.empty());
    }

    public enum SpfAction { TAG, REJECT }

    public enum DmarcAction { POLICY, QUARANTINE, NONE, OFF }

    public static final AuthConfig DEFAULTS = new AuthConfig(true, SpfAction.TAG, false, true, DmarcAction.POLICY);
}
