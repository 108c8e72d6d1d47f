package org.postwerk.testkit;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.postwerk.smtp.server.Authentication;

/** A hand-written Authentication for session tests: PLAIN with one fixed user and password. */
public record PlainOnly(String user, String password) implements Authentication {
    @Override
    public List<String> mechanisms() {
        return List.of("PLAIN");
    }

    @Override
    public Exchange begin(String mechanism, InetAddress client) {
        if (!mechanism.equals("PLAIN")) {
            return null;
        }
        return data -> {
            if (data == null) {
                return new Step.Challenge(new byte[0]);
            }
            String[] f = new String(data, StandardCharsets.UTF_8).split("\0", -1);
            return f.length == 3 && f[1].equals(user) && f[2].equals(password)
                    ? new Step.Success(user, null) : new Step.Failure("bad credentials");
        };
    }
}
