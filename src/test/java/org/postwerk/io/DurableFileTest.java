package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/users");
        DurableFile.write(target, "one\n".getBytes());
        DurableFile.write(target, "two\n".getBytes(), DurableFile.PRIVATE);
        assertThat(Files.readString(target)).isEqualTo("two\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
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
}
