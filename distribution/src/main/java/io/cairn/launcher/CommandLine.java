package io.cairn.launcher;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's arguments, the grammar of Kafka's {@code kafka-server-start.sh} plus two flags:
 *
 * <pre>
 * [--override key=value]... [--daemon] [path/to/server.properties]
 * </pre>
 *
 * {@code --override} may be repeated; a later override of the same key wins. The value may
 * contain {@code =} and may be empty ({@code --override key=}). {@code --daemon} (set by
 * {@code bin/cairn start}) means no interactive console even on a terminal.
 *
 * @param overrides  the overrides in the order given, later ones replacing earlier ones
 * @param configFile the server.properties path, if one was given
 * @param daemon     whether to run without a console
 * @param help       whether usage was asked for
 */
record CommandLine(Map<String, String> overrides, Optional<Path> configFile, boolean daemon, boolean help) {

    static final String USAGE = "Usage: cairn (run|start) [--override key=value]... [path/to/server.properties]";

    /**
     * Parses the arguments.
     *
     * @throws LaunchException with a message that says what is wrong and how it should look
     */
    static CommandLine parse(String... args) throws LaunchException {
        Map<String, String> overrides = new LinkedHashMap<>();
        Path configFile = null;
        boolean daemon = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--override")) {
                if (i + 1 == args.length) {
                    throw new LaunchException("--override needs a key=value argument\n" + USAGE);
                }
                addOverride(overrides, args[++i]);
            } else if (arg.equals("--daemon")) {
                daemon = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.startsWith("-")) {
                throw new LaunchException("Unknown option " + arg + "\n" + USAGE);
            } else if (configFile != null) {
                throw new LaunchException("More than one properties file given: " + configFile + " and " + arg
                        + "\n" + USAGE);
            } else {
                configFile = Path.of(arg);
            }
        }
        return new CommandLine(Collections.unmodifiableMap(overrides), Optional.ofNullable(configFile), daemon, help);
    }

    private static void addOverride(Map<String, String> overrides, String keyValue) throws LaunchException {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new LaunchException("--override expects key=value, got '" + keyValue + "'\n" + USAGE);
        }
        String key = keyValue.substring(0, eq).trim();
        if (key.isEmpty()) {
            throw new LaunchException("--override expects key=value, got '" + keyValue + "'\n" + USAGE);
        }
        overrides.remove(key); // keep the map in the order of the last occurrence
        overrides.put(key, keyValue.substring(eq + 1));
    }
}
