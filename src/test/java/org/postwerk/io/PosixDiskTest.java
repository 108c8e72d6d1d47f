package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixDiskTest {
    @TempDir
    Path dir;

    @Test
    void filesAreCreated0600AndFolders0700WhateverTheUmask() throws IOException {
        Disk disk = new PosixDisk();
        disk.createDirectories(dir.resolve("a/b"));
        try (FileChannel ch = disk.create(dir.resolve("a/b/new"))) {
            ch.write(ByteBuffer.wrap(new byte[] {1}));
            disk.fsync(ch);
            disk.fdatasync(ch);
        }
        disk.openOrCreate(dir.resolve("a/lock")).close();

        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b/new"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("a/lock"))).isEqualTo("rw-------");
        assertThatThrownBy(() -> disk.create(dir.resolve("a/b/new"))).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aFilesystemSyncSkipsWhatIsGoneBothWithSyncfsAndFileByFile() throws IOException {
        Path file = Files.writeString(dir.resolve("message"), "hello\r\n");
        // Files, and folders for everything in them (the journal's checkpoint passes folders).
        List<Path> paths = List.of(file, dir.resolve("moved-away-by-a-reader"), dir.resolve("gone/folder/too"), dir);
        new PosixDisk().syncFileSystems(paths);
        new PosixDisk(List.of("false")).syncFileSystems(paths); // sync -f failing: fsync one by one
        new PosixDisk(List.of("/no/such/command")).syncFileSystems(paths);
        new PosixDisk().syncFileSystems(List.of());
        assertThat(file).hasContent("hello\r\n");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
