package org.postwerk.auth.spf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/**
 * The client's validated reverse names (RFC 7208 §5.5): PTR names whose forward lookup leads back to the client.
 * Only the first 10 PTR names are looked at (§4.6.4); names whose lookup fails are skipped.
 *
 * @param validated the validated names, in PTR order
 * @param wasVoid   the PTR lookup itself found nothing (NXDOMAIN or no records), for the void-lookup limit
 */
record PtrNames(List<String> validated, boolean wasVoid) {
    static PtrNames of(Resolver resolver, InetAddress client) {
        DnsAnswer<String> ptr = resolver.ptr(client);
        if (ptr instanceof DnsAnswer.NxDomain<String> || ptr instanceof DnsAnswer.NoData<String>) {
            return new PtrNames(List.of(), true);
        }
        // A PTR lookup error means no match (§5.5), not an error result.
        List<String> names = ptr.recordsOrEmpty();
        byte[] clientBytes = Network.clientBytes(client);
        boolean v4 = clientBytes.length == 4;
        List<String> validated = new ArrayList<>();
        for (String name : names.subList(0, Math.min(names.size(), Evaluation.MAX_NAMES))) {
            if (!DomainNames.isValid(name)) {
                continue;
            }
            List<InetAddress> addresses = (v4 ? resolver.a(name) : resolver.aaaa(name)).recordsOrEmpty();
            if (addresses.stream().anyMatch(a -> Arrays.equals(Network.clientBytes(a), clientBytes))) {
                validated.add(name);
            }
        }
        return new PtrNames(List.copyOf(validated), false);
    }
}
