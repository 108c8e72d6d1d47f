package org.postwerk.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.log.LogSetup;
import org.postwerk.log.MessageTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code postwerk trace QUEUE-ID|MESSAGE-ID}: every log line of one message, from the sessions that received it to
 * its last delivery attempt. Reads the log file ({@code [log] file} or {@code POSTWERK_LOG_FILE}) and, before it,
 * the file logrotate moved away last ({@code FILE.1}, not compressed); a log on standard error (journald) is out
 * of its reach.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Print every log line of one message (by queue id or Message-ID) from the log file.")
public final class TraceCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "QUEUE-ID|MESSAGE-ID", description = "A queue id, or a Message-ID (with or without <>).")
    String wanted;

    @Override
    public Integer call() throws IOException {
        Config config;
        try {
            config = configOptions.load();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Optional<Path> file = LogSetup.resolve(config.log(), System.getenv()).file();
        if (file.isEmpty()) {
            System.err.println("no log file: set [log] file (or POSTWERK_LOG_FILE); trace reads only a log file");
            return 1;
        }
        List<Path> files = Stream.of(Path.of(file.get() + ".1"), file.get()).filter(Files::isReadable).toList();
        // Two passes over the files, never all of them in memory: a busy server's log is large.
        MessageTrace trace = MessageTrace.of(wanted, () -> lines(files));
        int found = 0;
        for (Iterator<String> it = lines(files); it.hasNext(); ) {
            String line = it.next();
            if (trace.matches(line)) {
                System.out.println(line);
                found++;
            }
        }
        if (found == 0) {
            System.err.println("nothing about " + wanted + " in " + file.get());
            return 1;
        }
        return 0;
    }

    /** The lines of {@code files} one after the other; a byte that is not UTF-8 reads as U+FFFD. */
    private static Iterator<String> lines(List<Path> files) {
        return files.stream().flatMap(p -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(p),
                        StandardCharsets.UTF_8));
                return r.lines().onClose(() -> close(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).iterator();
    }

    private static void close(BufferedReader r) {
        try {
            r.close();
        } catch (IOException e) {
            // read-only: nothing lost
        }
    }
}
