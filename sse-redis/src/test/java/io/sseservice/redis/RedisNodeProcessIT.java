package io.sseservice.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.PresenceEvent;
import io.sseservice.test.ClusterNodes;
import io.sseservice.test.RedisServer;
import io.sseservice.test.SseTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node in a JVM of its own, next to one in the test's JVM: sends cross the process boundary
 * through Redis both ways, and when the other process is killed with SIGKILL (no goodbye, no
 * cleanup), its client goes offline on the surviving node within the directory's TTL and a beat.
 */
class RedisNodeProcessIT {

  private final String prefix = "proc" + System.nanoTime() + ":";
  private Process process;
  private HttpNode local;
  private SseTestClient remoteClient;
  private SseTestClient localClient;

  @AfterEach
  void stop() {
    if (remoteClient != null) {
      remoteClient.close();
    }
    if (localClient != null) {
      localClient.close();
    }
    if (process != null) {
      process.destroyForcibly();
    }
    if (local != null) {
      local.close();
    }
  }

  @Test
  void sendsCrossProcessesAndAKilledNodesClientsGoOfflineWithinTheTtl() throws Exception {
    RedisServer redis = RedisServer.shared();
    local = new HttpNode(redis.uri(), prefix, "local");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    NodeMain.class.getName(),
                    redis.uri(),
                    prefix,
                    "remote"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    String first = out.readLine();
    assertThat(first).startsWith("PORT ");
    int port = Integer.parseInt(first.substring(5).trim());

    remoteClient =
        SseTestClient.connect(URI.create("http://127.0.0.1:" + port + "/sse?clientId=far"));
    localClient = SseTestClient.connect(local.sse("clientId=near"));
    ClusterNodes.eventually()
        .untilAsserted(
            () ->
                assertThat(local.listener.presence())
                    .contains(new PresenceEvent(PresenceEvent.Kind.ONLINE, "default", "far")));

    local.service.sendToClient("far", "to the other process");
    assertThat(remoteClient.takeEvent().data()).isEqualTo("to the other process");
    OutputStream in = process.getOutputStream();
    in.write("send near from the other process\n".getBytes(UTF_8));
    in.flush();
    assertThat(out.readLine()).isEqualTo("SENT");
    assertThat(localClient.takeEvent().data()).isEqualTo("from the other process");

    long killedAt = System.nanoTime();
    process.destroyForcibly(); // SIGKILL
    process.waitFor();
    PresenceEvent offline = new PresenceEvent(PresenceEvent.Kind.OFFLINE, "default", "far");
    ClusterNodes.eventually()
        .untilAsserted(() -> assertThat(local.listener.presence()).contains(offline));
    Duration noticed = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.println(
        "a SIGKILLed node's client went offline after "
            + noticed.toMillis()
            + " ms (TTL "
            + RedisFixture.TTL.toMillis()
            + " ms)");
    assertThat(local.service.directory().client("far").join()).isEmpty();
    Thread.sleep(RedisFixture.TTL.toMillis());
    assertThat(local.listener.presence()).containsOnlyOnce(offline);
  }
}
