package io.cairn.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A group member that a test can kill without closing it: a kafka-clients consumer in a child JVM
 * (this test class path) that subscribes to one topic and polls until it is killed, so that it
 * never sends LeaveGroup and the coordinator has to notice the silence. Its output goes to a file
 * in the test's work directory.
 */
final class GroupMemberProcess {

    private GroupMemberProcess() {
    }

    /**
     * Starts a member of {@code group} on {@code topic} with {@link Clients#consumerProperties} and
     * {@code overrides}; the caller kills the returned process.
     */
    static Process start(Path workDir, String bootstrap, String group, String topic, Map<String, String> overrides)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                GroupMemberProcess.class.getName(), bootstrap, group, topic));
        overrides.forEach((key, value) -> cmd.add(key + "=" + value));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("member-" + System.nanoTime() + ".out").toFile()).start();
    }

    /** The child JVM's main: {@code <bootstrap> <group> <topic> [<consumer property>=<value> ...]}. */
    public static void main(String[] args) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(args[0], args[1], overrides)) {
            consumer.subscribe(List.of(args[2]));
            while (true) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
