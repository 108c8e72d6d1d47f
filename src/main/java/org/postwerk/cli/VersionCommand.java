package org.postwerk.cli;

import java.util.concurrent.Callable;
import org.postwerk.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code postwerk version}: prints the version and the Java runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("postwerk " + Version.get() + " (Java " + Runtime.version() + ")");
        return 0;
    }

    /** Lets {@code postwerk --version} print the same line. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"postwerk " + Version.get()};
        }
    }
}
