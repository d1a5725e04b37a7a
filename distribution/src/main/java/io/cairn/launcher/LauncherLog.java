package io.cairn.launcher;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The launcher's own log. The launcher has nothing but the framework on its class path, so until
 * the framework has resolved a bundle exporting {@code org.slf4j} it writes to the console in
 * the layout of {@code etc/logback.xml}'s pattern; from then on it logs through that bundle's
 * SLF4J API (reflectively), so its messages reach the same backend, console and
 * {@code logs/cairn.log}, as every bundle's.
 *
 * <p>Thread-safe: the delegate is swapped atomically.
 */
final class LauncherLog {

    private static final String LOGGER_NAME = "io.cairn.launcher";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** SLF4J's {@code Logger} and its methods as seen from the exporting bundle; null for the console. */
    private volatile Slf4j slf4j;

    private record Slf4j(Object logger, Method info, Method warn, Method error, Method errorWithCause) {
    }

    void info(String message) {
        log("INFO ", message, null);
    }

    void warn(String message) {
        log("WARN ", message, null);
    }

    void error(String message) {
        log("ERROR", message, null);
    }

    void error(String message, Throwable cause) {
        log("ERROR", message, cause);
    }

    /**
     * Routes later messages through SLF4J if a resolved bundle in the framework exports
     * {@code org.slf4j}; otherwise keeps the console.
     */
    void useSlf4jFrom(BundleContext context) {
        for (Bundle bundle : context.getBundles()) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleCapability export : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if ("org.slf4j".equals(export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    bind(bundle);
                    return;
                }
            }
        }
    }

    /** Back to the console, for when the framework (and so the SLF4J bundle) is going away. */
    void useConsole() {
        slf4j = null;
    }

    private void bind(Bundle bundle) {
        try {
            Class<?> factory = bundle.loadClass("org.slf4j.LoggerFactory");
            Class<?> loggerType = bundle.loadClass("org.slf4j.Logger");
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, LOGGER_NAME);
            slf4j = new Slf4j(logger,
                    loggerType.getMethod("info", String.class),
                    loggerType.getMethod("warn", String.class),
                    loggerType.getMethod("error", String.class),
                    loggerType.getMethod("error", String.class, Throwable.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log("WARN ", "Cannot log through SLF4J from " + bundle.getSymbolicName() + ", staying on the console: " + e, null);
        }
    }

    private void log(String level, String message, Throwable cause) {
        Slf4j delegate = slf4j;
        if (delegate != null) {
            try {
                if (cause != null) {
                    delegate.errorWithCause().invoke(delegate.logger(), message, cause);
                } else {
                    Method method = switch (level) {
                        case "INFO " -> delegate.info();
                        case "WARN " -> delegate.warn();
                        default -> delegate.error();
                    };
                    method.invoke(delegate.logger(), message);
                }
                return;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                slf4j = null; // the bundle went away under us: the console still works
            }
        }
        PrintStream out = level.equals("INFO ") ? System.out : System.err;
        out.println(LocalDateTime.now().format(TIME) + " " + level + " [" + Thread.currentThread().getName() + "] "
                + LOGGER_NAME + " - " + message);
        if (cause != null) {
            cause.printStackTrace(out);
        }
    }
}
