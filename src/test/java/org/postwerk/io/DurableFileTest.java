package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.FaultyDisk;

class DurableFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/users");
        DurableFile.write(target, "one\n".getBytes());
        DurableFile.write(target, "two\n".getBytes());
        assertThat(Files.readString(target)).isEqualTo("two\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent())))
                .as("the folder it made").isEqualTo("rwx------");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("domains");
        DurableFile.write(target, "example.org\n".getBytes());
        // A directory in the way of the rename: the write fails, the old file stays whole, the temp file goes.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("child"));
        assertThatThrownBy(() -> DurableFile.write(blocked, "x".getBytes())).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("example.org\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(target, blocked);
        }
    }

    @Test
    void aFailedFsyncOrAFullDiskKeepsTheOldContentAndLeavesNoTemporaryFile() throws IOException {
        FaultyDisk disk = new FaultyDisk(dir);
        Path target = dir.resolve("users");
        DurableFile.write(disk, target, "alice\n".getBytes());

        disk.failNext(FaultyDisk.Op.FSYNC, dir);
        assertThatThrownBy(() -> DurableFile.write(disk, target, "bob\n".getBytes())).hasMessageContaining("Input/output");
        disk.failNext(FaultyDisk.Op.WRITE, dir);
        assertThatThrownBy(() -> DurableFile.write(disk, target, "carol\n".getBytes())).hasMessageContaining("No space");

        disk.powerCut();
        assertThat(Files.readString(target)).isEqualTo("alice\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aWrittenFileSurvivesAPowerCut() throws IOException {
        FaultyDisk disk = new FaultyDisk(dir);
        Path target = dir.resolve("tls/key.pem");
        DurableFile.write(disk, target, "key\n".getBytes());
        disk.powerCut();
        assertThat(Files.readString(target)).isEqualTo("key\n");
    }
}
