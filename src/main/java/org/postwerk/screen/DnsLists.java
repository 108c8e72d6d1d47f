package org.postwerk.screen;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postwerk.config.DnsListSite;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/**
 * Asks DNS lists about a client address (RFC 5782 §2: the reversed octets, or for IPv6 the reversed nibbles, in
 * front of the list's domain) and about domains (§3: the domain in front of the list's). Each list is asked
 * once, all in parallel on virtual threads, and the answers are awaited until one deadline; a list that has
 * not answered by then, or answered with a temporary error, counts as not listing (a DNS problem must not stop
 * mail). Answers are cached for their TTL by the resolver.
 */
final class DnsLists {
    /** What the lists said about one client: its score and the lists that counted, with their answers. */
    record Listing(int score, List<String> blocking, List<String> allowing, List<String> unanswered) {
        static final Listing NONE = new Listing(0, List.of(), List.of(), List.of());
    }

    private final Resolver resolver;
    private final List<DnsListSite> sites;
    private final Duration timeout;
    private final Executor lookups;

    DnsLists(Resolver resolver, List<DnsListSite> sites, Duration timeout, Executor lookups) {
        this.resolver = resolver;
        this.sites = List.copyOf(sites);
        this.timeout = timeout;
        this.lookups = lookups;
    }

    boolean isEmpty() {
        return sites.isEmpty();
    }

    /** The lookups of {@code client} in every list, started now; {@link Pending#await()} scores them. */
    Pending lookup(InetAddress client) {
        return new Pending(start(reversed(client), sites), System.nanoTime() + timeout.toNanos());
    }

    /** The first of {@code lists} that lists {@code domain} (waiting at most the timeout), or null. */
    String domainListedBy(String domain, List<DnsListSite> lists) {
        Pending p = new Pending(start(domain.toLowerCase(java.util.Locale.ROOT), lists),
                System.nanoTime() + timeout.toNanos());
        List<String> hits = p.await(lists).blocking();
        return hits.isEmpty() ? null : hits.getFirst();
    }

    private Map<String, CompletableFuture<DnsAnswer<InetAddress>>> start(String prefix, List<DnsListSite> lists) {
        Map<String, CompletableFuture<DnsAnswer<InetAddress>>> asked = new LinkedHashMap<>();
        for (DnsListSite site : lists) {
            asked.computeIfAbsent(site.domain(), d -> CompletableFuture.supplyAsync(
                    () -> resolver.a(prefix + "." + d), lookups));
        }
        return asked;
    }

    /** The lookups of one client or domain under way. */
    final class Pending {
        private final Map<String, CompletableFuture<DnsAnswer<InetAddress>>> asked;
        private final long deadline;
        private Listing listing;

        private Pending(Map<String, CompletableFuture<DnsAnswer<InetAddress>>> asked, long deadline) {
            this.asked = asked;
            this.deadline = deadline;
        }

        /** True once {@link #await()} has been asked. */
        boolean done() {
            return listing != null;
        }

        /** The client's score, once every list answered or the deadline passed; computed once. */
        Listing await() {
            if (listing == null) {
                listing = await(sites);
            }
            return listing;
        }

        private Listing await(List<DnsListSite> lists) {
            Map<String, List<InetAddress>> answers = new LinkedHashMap<>();
            List<String> unanswered = new ArrayList<>();
            asked.forEach((domain, future) -> {
                DnsAnswer<InetAddress> a = answer(future);
                answers.put(domain, a.recordsOrEmpty());
                if (a instanceof DnsAnswer.TempError<InetAddress>) {
                    unanswered.add(domain);
                }
            });
            int score = 0;
            List<String> blocking = new ArrayList<>();
            List<String> allowing = new ArrayList<>();
            for (DnsListSite site : lists) {
                InetAddress hit = answers.get(site.domain()).stream().filter(site::matches).findFirst().orElse(null);
                if (hit != null) {
                    score += site.weight();
                    List<String> to = site.weight() > 0 ? blocking : allowing;
                    if (!to.contains(site.domain())) {
                        to.add(site.domain());
                    }
                }
            }
            return new Listing(score, blocking, allowing, unanswered);
        }

        private DnsAnswer<InetAddress> answer(CompletableFuture<DnsAnswer<InetAddress>> future) {
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new DnsAnswer.TempError<>("no answer before the deadline");
            } catch (ExecutionException e) {
                return new DnsAnswer.TempError<>(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new DnsAnswer.TempError<>("interrupted");
            }
        }
    }

    /**
     * The name part RFC 5782 §2.1 and §2.4 put before the list's domain: IPv4 octets in reverse order, IPv6 as 32
     * nibbles in reverse order (so the IPv6 test point ::FFFF:7F00:2 is asked as such; a client on a dual-stack
     * socket arrives as an IPv4 address already).
     */
    static String reversed(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder s = new StringBuilder(64);
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                s.append(b[i] & 0xff).append(i == 0 ? "" : ".");
            }
            return s.toString();
        }
        for (int i = 15; i >= 0; i--) {
            s.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                    .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(i == 0 ? "" : ".");
        }
        return s.toString();
    }
}
