package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The built distribution, run as an operator runs it, queried with real clients: kafka-clients'
 * Admin and kcat.
 */
public class DistributionIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    @Test
    public void aBrokerRunWithOverridesAnswersAdminAndKcatAndStopsCleanlyOnSigterm() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        String clusterId;
        try (BrokerProcess broker = BrokerProcess.start(work, data, port, "broker.id=3")) {
            Duration ready = broker.awaitListening(Duration.ofSeconds(60));
            System.out.println("launch -> listening: " + ready.toMillis() + " ms");

            try (Admin admin = admin(broker.bootstrap())) {
                DescribeClusterResult cluster = admin.describeCluster();
                clusterId = cluster.clusterId().get(30, TimeUnit.SECONDS);
                Collection<Node> nodes = cluster.nodes().get(30, TimeUnit.SECONDS);
                Node controller = cluster.controller().get(30, TimeUnit.SECONDS);
                assertNotNull(clusterId);
                assertEquals("Kafka cluster ids are 22 characters of URL-safe base64", 22, clusterId.length());
                assertEquals(1, nodes.size());
                Node node = nodes.iterator().next();
                assertEquals(3, node.id());
                assertEquals("127.0.0.1", node.host());
                assertEquals(port, node.port());
                assertEquals(3, controller.id());
                assertTrue("no topics yet", admin.listTopics().names().get(30, TimeUnit.SECONDS).isEmpty());
            }

            String kcat = kcat("-b", broker.bootstrap(), "-L", "-m", "10");
            assertTrue(kcat, kcat.contains("1 brokers:"));
            assertTrue(kcat, kcat.contains("broker 3 at 127.0.0.1:" + port));
            assertTrue(kcat, kcat.contains("0 topics:"));

            assertTrue("the metadata tree is kept in the first log dir",
                    Files.exists(data.resolve("cairn-metadata.tree")));

            long before = System.nanoTime();
            assertEquals("exit status after SIGTERM\n" + broker.output(), 0, broker.terminate(Duration.ofSeconds(10)));
            System.out.println("SIGTERM -> exit: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before) + " ms");
        }

        // Same log dir, new process: the cluster keeps its id, as Kafka's does.
        try (BrokerProcess again = BrokerProcess.start(work, data, port, "broker.id=3")) {
            again.awaitListening(Duration.ofSeconds(60));
            try (Admin admin = admin(again.bootstrap())) {
                assertEquals(clusterId, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            }
            assertEquals(0, again.terminate(Duration.ofSeconds(10)));
        }
    }

    @Test
    public void twoBrokersRunFromOneInstallWithTheirOwnPortsAndDirectories() throws Exception {
        Path work = tmp.newFolder("work2").toPath();
        int p1 = BrokerProcess.freePort();
        int p2 = BrokerProcess.freePort();
        try (BrokerProcess a = BrokerProcess.start(work, tmp.newFolder("a").toPath(), p1);
                BrokerProcess b = BrokerProcess.start(work, tmp.newFolder("b").toPath(), p2)) {
            a.awaitListening(Duration.ofSeconds(60));
            b.awaitListening(Duration.ofSeconds(60));
            try (Admin one = admin(a.bootstrap()); Admin two = admin(b.bootstrap())) {
                String id1 = one.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                String id2 = two.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                assertFalse("separate data directories make separate clusters", id1.equals(id2));
            }
            assertEquals(0, a.terminate(Duration.ofSeconds(10)));
            assertEquals(0, b.terminate(Duration.ofSeconds(10)));
        }
    }

    @Test
    public void daemonModeStartsReportsStatusAndStops() throws Exception {
        Path dist = BrokerProcess.distribution();
        Path pidFile = tmp.getRoot().toPath().resolve("cairn.pid");
        Path data = tmp.newFolder("daemon-data").toPath();
        int port = BrokerProcess.freePort();
        Map<String, String> env = Map.of("CAIRN_PID_FILE", pidFile.toString(),
                "CAIRN_LOG_DIR", tmp.newFolder("daemon-logs").toString(), "CAIRN_HEAP_OPTS", "-Xms128m -Xmx512m");
        try {
            assertEquals(0, run(dist, env, "start", "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                    "--override", "log.dirs=" + data));
            assertTrue("pid file written", Files.exists(pidFile));
            assertEquals("status of a running daemon", 0, run(dist, env, "status"));
            try (Admin admin = admin("127.0.0.1:" + port)) {
                assertEquals(1, admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size());
            }
            assertEquals(0, run(dist, env, "stop"));
            assertEquals("status after stop (LSB: 3 = not running)", 3, run(dist, env, "status"));
            assertFalse("pid file removed", Files.exists(pidFile));
        } finally {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static int run(Path dist, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(dist.resolve("bin/cairn").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/cairn " + String.join(" ", args) + " did not finish:\n" + out, p.waitFor(60, TimeUnit.SECONDS));
        System.out.println("bin/cairn " + String.join(" ", args) + " -> " + p.exitValue() + ": " + out.trim());
        return p.exitValue();
    }

    private static String kcat(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("kcat"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("kcat did not finish", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("kcat exit status:\n" + out, 0, p.exitValue());
        return out;
    }
}
