package org.postwerk.io;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The modes of what Postwerk creates under its data folder: files 0600, folders 0700 (mail, queue files, journal
 * segments, keys and accounts are for the server's user alone). Given as attributes of the creating call, so
 * nothing is readable by others for a moment, and the umask cannot widen them (it only ever removes bits).
 * Empty where the filesystem has no POSIX permissions.
 */
public final class FileModes {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FileModes() {}

    /** For files: owner read and write. */
    public static FileAttribute<?>[] file() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /** For folders: owner read, write and search. */
    public static FileAttribute<?>[] folder() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }
}
