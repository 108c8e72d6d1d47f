package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start as an unprivileged user (nobody, through setpriv; only where the tests run as root): port 25 without
 * CAP_NET_BIND_SERVICE and a data folder it cannot write each end in one line and their exit status.
 */
class UnprivilegedStartIT {
    @TempDir
    Path dir;

    private record Result(int code, String err) {}

    private Result serveAsNobody(Path config) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(ServerProcess.java("serve", "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), err);
    }

    private void giveToNobody(Path path) throws Exception {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName("nobody"));
    }

    private static void assumeRootWithSetpriv() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to nobody");
        assumeTrue(new ProcessBuilder("setpriv", "--version").start().waitFor() == 0, "needs setpriv");
        // readAllLines: Files.readString trusts the size procfs reports and returns "1" of "1024".
        int unprivileged = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                .getFirst().strip());
        assumeTrue(unprivileged > 25, "port 25 is open to everyone here");
    }

    @Test
    void port25WithoutTheCapability() throws Exception {
        assumeRootWithSetpriv();
        giveToNobody(dir);
        Path config = dir.resolve("postwerk.toml");
        Files.writeString(config, "data_dir = \"data\"\n[[listener]]\nrole = \"smtp\"\naddress = \"127.0.0.1\"\nport = 25\n");
        Result r = serveAsNobody(config);
        assertThat(r.code()).isEqualTo(78);
        assertThat(r.err().lines().toList()).containsExactly("postwerk: smtp listener 127.0.0.1:25: permission denied; "
                + "ports below 1024 need CAP_NET_BIND_SERVICE: run from the systemd unit "
                + "(AmbientCapabilities=CAP_NET_BIND_SERVICE) or set a port >= 1024");
    }

    @Test
    void dataFolderTheUserCannotWrite() throws Exception {
        assumeRootWithSetpriv();
        giveToNobody(dir);
        Files.createDirectories(dir.resolve("data")); // root's, 0755: not nobody's to write
        Path config = dir.resolve("postwerk.toml");
        Files.writeString(config, "data_dir = \"data\"\n[[listener]]\nrole = \"smtp\"\naddress = \"127.0.0.1\"\n"
                + "port = " + ServerProcess.freePort() + "\n");
        Result r = serveAsNobody(config);
        assertThat(r.code()).isEqualTo(73);
        assertThat(r.err().lines().toList()).containsExactly("postwerk: data folder " + dir.resolve("data")
                + ": not writable by user nobody; give the server's user the folder (chown -R USER), or fix data_dir");
    }
}
