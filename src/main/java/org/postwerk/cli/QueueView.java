package org.postwerk.cli;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.postwerk.queue.QueueEntry;
import org.postwerk.queue.RecipientState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The reading queue commands: list, show, summary. They read the spool files and never change them. */
final class QueueView {
    private QueueView() {}

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List queued messages: id, age, size, sender, recipients, last error.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Option(names = "--json", description = "One JSON array, for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            var spool = parent.spool();
            if (spool == null) {
                return 1;
            }
            List<QueueEntry> entries = spool.entries();
            Instant now = Instant.now();
            if (json) {
                System.out.println(Json.entries(entries, now));
                return 0;
            }
            for (QueueEntry e : entries) {
                System.out.printf("%-24s %8s %9d %s%s%n", e.id(), age(e, now), e.size(), e.envelope().reversePath(),
                        e.held() ? " (held)" : "");
                for (RecipientState r : e.recipients()) {
                    if (!r.isFinal()) {
                        System.out.printf("    %-40s %s%n", r.recipient().address(),
                                r.reason().map(x -> x.reply().toString().replace("\r\n", " / ")).orElse(""));
                    }
                }
            }
            System.out.println("-- " + entries.size() + " message(s)");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one message's envelope and state.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--message", description = "Print the message itself too.")
        boolean message;

        @Override
        public Integer call() throws Exception {
            var spool = parent.spool();
            if (spool == null) {
                return 1;
            }
            var entry = spool.entry(id);
            if (entry.isEmpty()) {
                System.err.println(id + ": no such message");
                return 1;
            }
            System.out.print(Files.readString(spool.message(id).resolveSibling(id + ".env")));
            if (message) {
                System.out.println();
                System.out.write(Files.readAllBytes(spool.message(id)));
                System.out.flush();
            }
            return 0;
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Waiting recipients by destination domain, with the oldest age.")
    static final class Summary implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Override
        public Integer call() throws Exception {
            var spool = parent.spool();
            if (spool == null) {
                return 1;
            }
            Instant now = Instant.now();
            Map<String, long[]> byDomain = new TreeMap<>();
            for (QueueEntry e : spool.entries()) {
                for (RecipientState r : e.recipients()) {
                    if (!r.isFinal()) {
                        long[] v = byDomain.computeIfAbsent(r.recipient().address().domainKey(), k -> new long[2]);
                        v[0]++;
                        v[1] = Math.max(v[1], Duration.between(e.envelope().received(), now).toSeconds());
                    }
                }
            }
            System.out.printf("%-40s %10s %10s%n", "domain", "recipients", "oldest");
            byDomain.forEach((d, v) -> System.out.printf("%-40s %10d %10s%n", d, v[0], human(Duration.ofSeconds(v[1]))));
            return 0;
        }
    }

    static String age(QueueEntry e, Instant now) {
        return human(Duration.between(e.envelope().received(), now));
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    }
}
