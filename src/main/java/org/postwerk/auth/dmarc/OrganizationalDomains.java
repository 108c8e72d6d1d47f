package org.postwerk.auth.dmarc;

import java.io.IOException;
import java.net.IDN;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;

/**
 * Organisational domains (RFC 7489 §3.2): the public suffix of a name plus one label, from the Public Suffix
 * List. The list comes with Apache HttpClient (updated with each of its releases); an operator can point
 * {@link #load} at a newer {@code public_suffix_list.dat} without a Postwerk release. The whole list is used,
 * private section included, as RFC 7489 §3.2 and the PSL's own algorithm do. Immutable and thread-safe.
 */
public final class OrganizationalDomains {
    private final PublicSuffixMatcher matcher;

    private OrganizationalDomains(PublicSuffixMatcher matcher) {
        this.matcher = matcher;
    }

    /** The list bundled with the library. */
    public static OrganizationalDomains bundled() {
        return new OrganizationalDomains(PublicSuffixMatcherLoader.getDefault());
    }

    /** A newer list from a file in the PSL format, e.g. a downloaded {@code public_suffix_list.dat}. */
    public static OrganizationalDomains load(Path publicSuffixList) throws IOException {
        return new OrganizationalDomains(PublicSuffixMatcherLoader.load(publicSuffixList.toFile()));
    }

    /** The configured file when there is one, else the bundled list (the config hook for the composition root). */
    public static OrganizationalDomains from(Optional<Path> newerList) throws IOException {
        return newerList.isPresent() ? load(newerList.get()) : bundled();
    }

    /**
     * The organisational domain of {@code domain} in lower-case A-labels. A name that is itself a public suffix
     * (e.g. {@code co.uk}) has none under the RFC's algorithm; it is returned as it is, so it aligns only
     * with itself.
     */
    public String of(String domain) {
        String ascii = Domains.normalize(domain);
        // The matcher compares U-labels; its answer is converted back so callers compare like with like.
        String root = matcher.getDomainRoot(IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
        return root == null ? ascii : Domains.normalize(root);
    }
}
