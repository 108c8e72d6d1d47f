package org.postwerk.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.postwerk.config.LogConfig;

/**
 * Logback's configuration at start, in code (found by logback as a service): every line to standard error in
 * the text format, batched ({@link BatchedStderrAppender}), level {@code POSTWERK_LOG_LEVEL} or INFO, dnsjava's
 * own chatter only from WARN. {@link LogSetup} then applies {@code [log]}. In code rather than a
 * {@code logback.xml} because logback's XML configurator loads some 500 classes of its own and the JDK's XML
 * parser for those few lines. A {@code -Dlogback.configurationFile=FILE} (or a {@code logback-test.xml}, as the
 * tests have) still wins: then logback reads that file as usual.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean file = System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
        if (file) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv("POSTWERK_LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Standard error in text at {@code level} (INFO when null or not a level). */
    static void configure(LoggerContext context, String level) {
        BatchedStderrAppender<ILoggingEvent> appender = new BatchedStderrAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setEncoder(LogSetup.encoder(context, LogConfig.Format.TEXT));
        appender.start();
        context.getLogger("org.xbill").setLevel(Level.WARN);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level == null ? null : level.trim(), Level.INFO));
        root.addAppender(appender);
    }
}
