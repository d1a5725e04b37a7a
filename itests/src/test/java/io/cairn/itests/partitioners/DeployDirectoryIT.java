package io.cairn.itests.partitioners;

import static io.cairn.itests.partitioners.DeployableBroker.HEADER_ARRIVED;
import static io.cairn.itests.partitioners.DeployableBroker.HEADER_LEFT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The integrator's path on the built distribution, run as a process: the example header
 * partitioner jar dropped into {@code deploy/} of a running broker is offered to the kernel, a
 * {@code .cfg} dropped beside it reconfigures it, and deleting the jar removes it — all without a
 * restart, and the broker then stops cleanly. The distribution is copied to a temporary directory
 * first, because {@code deploy/} belongs to the installation.
 */
public class DeployDirectoryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DeployableBroker broker;

    @After
    public void killBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void aPartitionerDroppedIntoDeployIsOfferedReconfiguredAndRemovedWithoutARestart() throws Exception {
        broker = DeployableBroker.start(tmp.newFolder("cairn").toPath(), tmp.newFolder("data").toPath(),
                tmp.newFile("broker.out").toPath(), DeployableBroker.freePort(), WAIT, Map.of());
        Path deploy = broker.deploy();
        broker.await("the broker has started with its built-in partitioners",
                () -> broker.count(DeployableBroker.KEYHASH_ARRIVED) == 1);
        assertEquals("the example is not in the distribution", 0, broker.count(HEADER_ARRIVED));

        Path jar = deploy.resolve("partitioner-example-header.jar");
        Files.copy(DeployableBroker.exampleBundle(), jar);
        broker.await("the dropped-in partitioner is offered", () -> broker.count(HEADER_ARRIVED) == 1);

        Files.writeString(deploy.resolve("io.cairn.partitioner.example.header.cfg"), "header.name=tenant\n");
        broker.await("its new configuration re-creates it",
                () -> broker.count(HEADER_LEFT) == 1 && broker.count(HEADER_ARRIVED) == 2);

        Files.delete(jar);
        broker.await("deleting the jar removes it", () -> broker.count(HEADER_LEFT) == 2);
        Process process = broker.process();
        assertTrue("still the same broker process", process.isAlive());

        process.destroy();
        assertTrue("the broker stops on SIGTERM:\n" + broker.output(), process.waitFor(30, TimeUnit.SECONDS));
        assertEquals("exit status after SIGTERM:\n" + broker.output(), 0, process.exitValue());
    }
}
