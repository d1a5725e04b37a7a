package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * kafka-clients 3.9 against the built distribution, in the same build as 4.4: {@link Kafka39Client}
 * runs in a child JVM on the 3.9 jars that the build copies to {@code target/kafka-3.9} (two
 * releases of kafka-clients cannot share one classpath). What 3.9 wrote, 4.4 then reads.
 */
public class KafkaClients39IT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void kafkaClients39ProducesConsumesAndAdministers() throws Exception {
        List<Path> jars = kafka39Jars();
        assertTrue("kafka-clients 3.9.x among " + jars, jars.stream()
                .anyMatch(j -> j.getFileName().toString().matches("kafka-clients-3\\.9\\.\\d+\\.jar")));
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        try (BrokerProcess broker = BrokerProcess.start(work, data, BrokerProcess.freePort())) {
            broker.awaitListening(Duration.ofSeconds(60));

            List<String> classpath = new ArrayList<>();
            jars.forEach(j -> classpath.add(j.toString()));
            classpath.add(Path.of(Kafka39Client.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
            Path output = work.resolve("kafka39-client.out");
            Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", String.join(File.pathSeparator, classpath), Kafka39Client.class.getName(),
                    broker.bootstrap(), "k39")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean exited = client.waitFor(3, TimeUnit.MINUTES);
            if (!exited) {
                client.destroyForcibly();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue("3.9 client did not finish:\n" + printed, exited);
            assertEquals("3.9 client failed:\n" + printed + "\nbroker:\n" + broker.output(), 0, client.exitValue());
            assertTrue(printed, printed.matches("(?s).*kafka-clients from \\S*kafka-clients-3\\.9\\.\\d+\\.jar.*"));
            assertTrue(printed, printed.contains("groups ok"));
            assertTrue(printed, printed.contains("ALL OK"));

            // What the 3.9 producer wrote is what a 4.4 consumer reads.
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClientsIT.readAll(broker.bootstrap(),
                    new TopicPartition("k39-zstd", 0), 100);
            assertEquals(100, records.size());
            assertEquals("0", new String(records.get(0).headers().lastHeader("i").value(), StandardCharsets.UTF_8));
        }
    }

    /** The jars the build copied for the child JVM. */
    private static List<Path> kafka39Jars() throws IOException {
        Path dir = Path.of("target", "kafka-3.9").toAbsolutePath();
        assertTrue("no " + dir + ": run through Maven (maven-dependency-plugin copies it before the ITs)",
                Files.isDirectory(dir));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
