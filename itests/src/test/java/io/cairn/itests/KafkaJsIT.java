package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * KafkaJS 2.x (Node.js) against the built distribution: an idempotent producer with every codec
 * KafkaJS can use without native builds (none, gzip, snappy via {@code kafkajs-snappy}, lz4 via
 * {@code kafkajs-lz4}), headers, null keys and values; and its admin client (topics, partitions,
 * configs, offsets, deleting records). KafkaJS has no consumer without a consumer group, and groups
 * are not implemented yet, so what it wrote is read back with kafka-clients 4.4.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH; the packages are installed into
 * {@code target/kafkajs} on first use from the npm registry. Skipped, saying so, where node is
 * missing.
 */
public class KafkaJsIT {

    private static final String PACKAGES = "kafkajs@2.2.4 kafkajs-snappy@1.1.0 kafkajs-lz4@1.2.1";

    /** The client program, run with {@code node <script> <bootstrap>}; exits non-zero on any failure. */
    private static final String SCRIPT = """
            const assert = require('assert');
            const { Kafka, CompressionTypes, CompressionCodecs, logLevel } = require('kafkajs');
            CompressionCodecs[CompressionTypes.Snappy] = require('kafkajs-snappy');
            const LZ4 = require('kafkajs-lz4');
            CompressionCodecs[CompressionTypes.LZ4] = new LZ4().codec;
            const CODECS = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP,
                             snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4 };
            (async () => {
              const kafka = new Kafka({ clientId: 'cairn-kafkajs', brokers: [process.argv[2]],
                                        logLevel: logLevel.ERROR, retry: { retries: 3 } });
              const admin = kafka.admin();
              await admin.connect();
              const cluster = await admin.describeCluster();
              assert.strictEqual(cluster.brokers.length, 1);
              console.log('cluster', cluster.clusterId, 'controller', cluster.controller);

              const topics = Object.keys(CODECS).map(c => ({ topic: 'kjs-' + c, numPartitions: 1 }));
              // KafkaJS waits for leaders of created topics unless told not to; validate-only creates none.
              assert.strictEqual(await admin.createTopics({ topics, validateOnly: true, waitForLeaders: false }), true);
              assert.ok(!(await admin.listTopics()).includes('kjs-none'), 'validateOnly created nothing');
              assert.strictEqual(await admin.createTopics({ topics: topics.concat([{ topic: 'kjs-admin',
                  numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }]) }), true);

              const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
              await producer.connect();
              for (const [name, type] of Object.entries(CODECS)) {
                const messages = [];
                for (let i = 0; i < 50; i++) {
                  messages.push({ key: i % 5 === 0 ? null : 'k' + i, value: i % 7 === 0 ? null : name + '-' + i,
                                  timestamp: String(1650000000000 + i), headers: { i: String(i), codec: name } });
                }
                const [result] = await producer.send({ topic: 'kjs-' + name, compression: type, acks: -1, messages });
                assert.strictEqual(result.errorCode, 0);
                assert.strictEqual(result.baseOffset, '0');
                console.log('codec', name, 'ok');
              }
              await producer.send({ topic: 'kjs-admin', acks: -1, messages: Array.from({ length: 10 },
                  (_, i) => ({ value: 'a' + i, timestamp: String(1650000000000 + i * 1000) })) });
              await producer.disconnect();

              // A consumer group reads back every codec's records and commits what it read.
              const consumer = kafka.consumer({ groupId: 'kjs-group', sessionTimeout: 10000 });
              await consumer.connect();
              for (const name of Object.keys(CODECS)) {
                await consumer.subscribe({ topic: 'kjs-' + name, fromBeginning: true });
              }
              const seen = {};
              await new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('group consumed only ' + JSON.stringify(seen))), 60000);
                consumer.run({ eachMessage: async ({ topic, message }) => {
                  const name = topic.substring(4);
                  const i = Number(message.headers.i.toString());
                  assert.strictEqual(message.headers.codec.toString(), name);
                  assert.strictEqual(message.offset, String(i));
                  assert.strictEqual(message.key === null ? null : message.key.toString(), i % 5 === 0 ? null : 'k' + i);
                  assert.strictEqual(message.value === null ? null : message.value.toString(),
                                     i % 7 === 0 ? null : name + '-' + i);
                  assert.strictEqual(message.timestamp, String(1650000000000 + i));
                  seen[name] = (seen[name] || 0) + 1;
                  if (Object.keys(CODECS).every(c => seen[c] === 50)) { clearTimeout(timer); resolve(); }
                } }).catch(reject);
              });
              await consumer.disconnect();
              for (const name of Object.keys(CODECS)) {
                const committed = await admin.fetchOffsets({ groupId: 'kjs-group', topics: ['kjs-' + name] });
                assert.strictEqual(committed[0].partitions[0].offset, '50', 'committed offset of ' + name);
              }
              console.log('group ok');

              const offsets = await admin.fetchTopicOffsets('kjs-admin');
              assert.strictEqual(offsets[0].high, '10');
              assert.strictEqual(offsets[0].low, '0');
              const byTime = await admin.fetchTopicOffsetsByTimestamp('kjs-admin', 1650000004500);
              assert.strictEqual(byTime[0].offset, '5');
              await admin.deleteTopicRecords({ topic: 'kjs-admin', partitions: [{ partition: 0, offset: '3' }] });
              assert.strictEqual((await admin.fetchTopicOffsets('kjs-admin'))[0].low, '3');

              const described = await admin.describeConfigs({ includeSynonyms: false,
                  resources: [{ type: 2, name: 'kjs-admin', configNames: ['retention.ms'] }] });
              assert.strictEqual(described.resources[0].configEntries[0].configValue, '3600000');
              await admin.alterConfigs({ resources: [{ type: 2, name: 'kjs-admin',
                  configEntries: [{ name: 'retention.ms', value: '7200000' }] }] });
              const altered = await admin.describeConfigs({ includeSynonyms: false,
                  resources: [{ type: 2, name: 'kjs-admin', configNames: ['retention.ms'] }] });
              assert.strictEqual(altered.resources[0].configEntries[0].configValue, '7200000');

              await admin.createPartitions({ topicPartitions: [{ topic: 'kjs-admin', count: 3 }] });
              const metadata = await admin.fetchTopicMetadata({ topics: ['kjs-admin'] });
              assert.strictEqual(metadata.topics[0].partitions.length, 3);
              await admin.deleteTopics({ topics: ['kjs-admin'] });
              assert.ok(!(await admin.listTopics()).includes('kjs-admin'), 'deleted');
              console.log('admin ok');
              await admin.disconnect();
              console.log('ALL OK');
            })().catch(e => { console.error('FAIL', e); process.exit(1); });
            """;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void kafkaJsProducesEveryCodecAndAdministersTopics() throws Exception {
        Assume.assumeTrue("node and npm are not installed: KafkaJS not tested", onPath("node") && onPath("npm"));
        Path dir = Path.of("target", "kafkajs").toAbsolutePath();
        installPackages(dir);
        Path script = dir.resolve("cairn-kafkajs.js");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);

        try (BrokerProcess broker = BrokerProcess.start(tmp.newFolder("work").toPath(), tmp.newFolder("data").toPath(),
                BrokerProcess.freePort())) {
            broker.awaitListening(Duration.ofSeconds(60));
            Path output = tmp.newFile().toPath();
            ProcessBuilder node = new ProcessBuilder("node", script.toString(), broker.bootstrap()).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            node.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
            Process process = node.start();
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue("KafkaJS did not finish:\n" + printed, exited);
            assertEquals("KafkaJS failed:\n" + printed + "\nbroker:\n" + broker.output(), 0, process.exitValue());
            assertTrue(printed, printed.contains("group ok"));
            assertTrue(printed, printed.contains("ALL OK"));

            for (String codec : List.of("none", "gzip", "snappy", "lz4")) {
                List<ConsumerRecord<byte[], byte[]>> records = KafkaClientsIT.readAll(broker.bootstrap(),
                        new TopicPartition("kjs-" + codec, 0), 50);
                assertEquals(codec, 50, records.size());
                for (int i = 0; i < 50; i++) {
                    ConsumerRecord<byte[], byte[]> record = records.get(i);
                    if (i % 5 == 0) {
                        assertNull(record.key());
                    } else {
                        assertEquals("k" + i, new String(record.key(), StandardCharsets.UTF_8));
                    }
                    if (i % 7 == 0) {
                        assertNull(record.value());
                    } else {
                        assertEquals(codec + "-" + i, new String(record.value(), StandardCharsets.UTF_8));
                    }
                    assertEquals(1_650_000_000_000L + i, record.timestamp());
                    assertEquals(String.valueOf(i), new String(record.headers().lastHeader("i").value(),
                            StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void installPackages(Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir.resolve("node_modules/kafkajs-lz4"))) {
            return;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"cairn-kafkajs-it\",\"private\":true}");
        List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund",
                "--loglevel=error"));
        command.addAll(List.of(PACKAGES.split(" ")));
        Path log = dir.resolve("npm-install.log");
        Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = npm.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            npm.destroyForcibly();
        }
        assertTrue("npm install " + PACKAGES + " failed:\n" + Files.readString(log), done && npm.exitValue() == 0);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
