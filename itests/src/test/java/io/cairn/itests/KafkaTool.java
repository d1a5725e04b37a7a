package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of Apache Kafka's command-line tools run as an operator runs it, in a child JVM on the jars
 * the build copies to {@code target/kafka-tools} ({@code org.apache.kafka:kafka-tools} and its
 * dependencies, in pre-integration-test). Standard output and error go to files in the test's work
 * directory, so a failure can show both. Public for the tests of the REST proxy's package.
 */
public final class KafkaTool {

    /** {@code bin/kafka-consumer-groups.sh}. */
    public static final String CONSUMER_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

    /** How long one run of a tool may take, JVM start included. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a run printed. */
    public record Output(String out, String err) {

        /** Both streams, for a failure message. */
        public String all() {
            return out + "\n--- stderr ---\n" + err;
        }
    }

    private KafkaTool() {
    }

    /**
     * Runs {@code kafka-consumer-groups --bootstrap-server <bootstrap> <args>}.
     *
     * @throws AssertionError if it did not end within a minute or exited with other than 0 (it exits
     *         0 even when a command fails, printing "Error: ..."; that is the caller's to check)
     */
    public static Output consumerGroups(Path workDir, String bootstrap, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(Arrays.asList(args));
        return run(workDir, CONSUMER_GROUPS, all);
    }

    /** Runs the tool whose main class is {@code mainClass} with {@code args}; see {@link #consumerGroups}. */
    public static Output run(Path workDir, String mainClass, List<String> args) throws IOException, InterruptedException {
        Path dir = Path.of("target", "kafka-tools").toAbsolutePath();
        assertTrue("kafka-tools jars in " + dir + " (copied by the build in pre-integration-test)",
                Files.isDirectory(dir));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir + "/*", mainClass));
        cmd.addAll(args);
        Path out = Files.createTempFile(workDir, "tool-", ".out");
        Path err = Files.createTempFile(workDir, "tool-", ".err");
        Process process = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Output output = new Output(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertTrue("tool ended within " + TIMEOUT + ":\n" + output.all(), ended);
        assertEquals(output.all(), 0, process.exitValue());
        return output;
    }

    /**
     * The whitespace-separated columns of the row for this group, topic and partition in a table of
     * kafka-consumer-groups ({@code GROUP TOPIC PARTITION ...}).
     *
     * @throws AssertionError with the whole output if there is no such row
     */
    public static List<String> row(String out, String group, String topic, int partition) {
        return out.lines().map(l -> List.of(l.trim().split("\\s+")))
                .filter(cols -> cols.size() >= 4 && cols.get(0).equals(group) && cols.get(1).equals(topic)
                        && cols.get(2).equals(Integer.toString(partition)))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + topic + "-" + partition + " in:\n" + out));
    }
}
