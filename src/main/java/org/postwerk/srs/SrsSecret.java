package org.postwerk.srs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.postwerk.io.DurableFile;

/**
 * The secrets of SRS: a text file, one secret a line (the first signs, all verify; blank lines and {@code #}
 * comments are skipped), as postsrsd's. When the file does not exist it is created with one random secret
 * (32 bytes, base64), mode 0600, written durably: a secret that changed after a crash would orphan the bounces
 * on their way back.
 */
public final class SrsSecret {
    private SrsSecret() {}

    /** The secrets in {@code file}, made first when it is missing. */
    public static List<byte[]> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            DurableFile.write(file, (Base64.getEncoder().encodeToString(secret) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        List<byte[]> secrets = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        if (secrets.isEmpty()) {
            throw new IOException("no SRS secret in " + file);
        }
        return secrets;
    }
}
