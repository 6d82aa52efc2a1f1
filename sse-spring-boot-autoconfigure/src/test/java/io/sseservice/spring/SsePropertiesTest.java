package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.test.InMemoryTransport;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each {@code sse.*} property changes what the auto-configured service observably does. */
class SsePropertiesTest {

  private static final Pattern ID = Pattern.compile("id: ([^\n]*)\n");

  /** 40 bytes once encoded as {@code data: ...\n\n}. */
  private static final String FORTY = "x".repeat(32);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class));

  /** For tests that leave a connection stalled: closing the context need not wait for it. */
  private final ApplicationContextRunner stalled =
      runner.withPropertyValues("sse.shutdown-timeout=0s");

  private static SseConnection connect(SseService service, InMemoryTransport transport) {
    return service.connect(transport, ConnectOptions.builder().clientId("ann").build());
  }

  @Test
  void defaultGroupNamesTheGroupOfConnectsAndSendsWithoutOne() {
    runner
        .withPropertyValues("sse.default-group=lobby")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              connect(service, new InMemoryTransport());

              assertThat(service.defaultGroup()).isEqualTo("lobby");
              assertThat(service.client("ann", "lobby")).isPresent();
              assertThat(service.groups()).containsExactly("lobby");
            });
  }

  @Test
  void withoutPropertiesTheServiceHasTheBuildersDefaults() {
    runner.run(
        context -> {
          SseService service = context.getBean(SseService.class);
          assertThat(service.defaultGroup()).isEqualTo(SseService.Builder.DEFAULT_GROUP);
          InMemoryTransport transport = new InMemoryTransport();
          connect(service, transport);
          service.sendToAll("hi");
          assertThat(transport.text()).isEqualTo("data: hi\n\n"); // no retry, no id: history off
        });
  }

  @Test
  void maxQueuedBytesBoundsAPausedConnection() {
    stalled
        .withPropertyValues("sse.max-queued-bytes=100B", "sse.slow-consumer-grace=0s")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              SseConnection connection = sendToPausedConnection(service, 5);

              // one write in flight, two queued fit in 100 bytes, the fourth passes the bound
              assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
              assertThat(service.stats().slowConsumerDisconnects()).isEqualTo(1);
            });
  }

  @Test
  void aBurstPastTheBoundWaitsOutTheGraceUpToTheHardBound() {
    stalled
        .withPropertyValues("sse.max-queued-bytes=100B", "sse.slow-consumer-grace=1h")
        .run(
            context -> {
              SseConnection connection =
                  sendToPausedConnection(context.getBean(SseService.class), 5);
              assertThat(connection.isOpen()).as("a burst within the grace").isTrue();
            });
    stalled
        .withPropertyValues(
            "sse.max-queued-bytes=100B",
            "sse.slow-consumer-grace=1h",
            "sse.hard-max-queued-bytes=120B")
        .run(
            context -> {
              SseConnection connection =
                  sendToPausedConnection(context.getBean(SseService.class), 5);
              // one in flight, three (120 bytes) queued; the fifth would pass the hard bound
              assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
            });
  }

  @Test
  void theDefaultBoundLetsTheSameBacklogWait() {
    stalled.run(
        context -> {
          SseConnection connection = sendToPausedConnection(context.getBean(SseService.class), 5);
          assertThat(connection.isOpen()).isTrue();
          assertThat(connection.queuedBytes()).isEqualTo(4 * 40);
        });
  }

  @Test
  void slowConsumerPolicyDropOldestKeepsTheConnection() {
    stalled
        .withPropertyValues(
            "sse.max-queued-bytes=100B",
            "sse.slow-consumer-grace=0s",
            "sse.slow-consumer-policy=drop-oldest")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              SseConnection connection = sendToPausedConnection(service, 5);

              assertThat(connection.isOpen()).isTrue();
              assertThat(service.stats().eventsDropped()).isEqualTo(2);
            });
  }

  private static SseConnection sendToPausedConnection(SseService service, int events) {
    InMemoryTransport transport = new InMemoryTransport();
    SseConnection connection = connect(service, transport);
    transport.pause();
    for (int i = 0; i < events; i++) {
      service.sendToAll(FORTY);
    }
    return connection;
  }

  @Test
  void writeTimeoutClosesAConnectionWhoseWriteStalls() {
    stalled
        .withPropertyValues("sse.write-timeout=100ms")
        .run(
            context -> {
              SseConnection connection =
                  sendToPausedConnection(context.getBean(SseService.class), 1);
              await()
                  .atMost(Duration.ofSeconds(5))
                  .until(() -> connection.closeReason().isPresent());
              assertThat(connection.closeReason()).contains(CloseReason.SLOW_CONSUMER);
            });
  }

  @Test
  void keepAliveIntervalSendsPingsToIdleConnections() {
    runner
        .withPropertyValues("sse.keep-alive-interval=50ms")
        .run(
            context -> {
              InMemoryTransport transport = new InMemoryTransport();
              connect(context.getBean(SseService.class), transport);
              await()
                  .atMost(Duration.ofSeconds(5))
                  .until(() -> transport.text().contains(": ping\n\n"));
            });
  }

  @Test
  void retryIsSentFirstOnEveryConnection() {
    runner
        .withPropertyValues("sse.retry=3s")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              connect(service, transport);
              service.sendToAll("hi");
              assertThat(transport.text()).isEqualTo("retry: 3000\n\ndata: hi\n\n");
            });
  }

  @Test
  void shutdownReconnectWindowIsTheRetryGivenOnClose() {
    runner
        .withPropertyValues(
            "sse.shutdown-reconnect-window.min=2s", "sse.shutdown-reconnect-window.max=2s")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              connect(service, transport);
              service.close();
              assertThat(transport.text()).isEqualTo("retry: 2000\n\n");
            });
  }

  @Test
  void aWindowWithMinAboveMaxFailsStartupWithTheBuildersMessage() {
    runner
        .withPropertyValues(
            "sse.shutdown-reconnect-window.min=5s", "sse.shutdown-reconnect-window.max=1s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("sse.shutdown-reconnect-window")
                    .hasMessageContaining("expected: min <= max"));
  }

  @Test
  void shutdownTimeoutBoundsHowLongCloseWaitsForAStalledConnection() {
    runner
        .withPropertyValues("sse.shutdown-timeout=100ms")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              SseConnection connection = sendToPausedConnection(service, 2);

              long start = System.nanoTime();
              service.close();
              Duration took = Duration.ofNanos(System.nanoTime() - start);

              // the default (5 s) would hold close() here for five seconds
              assertThat(took).isBetween(Duration.ofMillis(90), Duration.ofSeconds(2));
              assertThat(connection.closeReason()).contains(CloseReason.SERVICE_SHUTDOWN);
            });
  }

  @Test
  void historyGivesIdsAndReplaysWhatAReconnectingClientMissed() {
    runner
        .withPropertyValues("sse.history.enabled=true")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport first = new InMemoryTransport();
              connect(service, first);
              service.sendToAll("a");
              service.sendToAll("b");

              InMemoryTransport second = reconnect(service, firstId(first.text()));

              assertThat(second.text()).contains("data: b\n").doesNotContain("data: a\n");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sse.history.max-events=1",
        "sse.history.max-bytes=1B",
        "sse.history.max-total-bytes=1B",
        "sse.history.max-age=1ms"
      })
  void historyBoundsEvictOldEvents(String bound) {
    runner
        .withPropertyValues("sse.history.enabled=true", bound)
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport first = new InMemoryTransport();
              connect(service, first);
              service.sendToAll("a");
              service.sendToAll("b");
              service.sendToAll("c");
              Thread.sleep(20); // lets max-age pass; the other bounds do not care

              // seen a, missed b and c: b is gone (the history holds at most c), so a reset
              InMemoryTransport second = reconnect(service, firstId(first.text()));

              assertThat(second.text())
                  .contains("event: " + SseService.RESET_EVENT + "\n")
                  .doesNotContain("data: b\n")
                  .doesNotContain("data: c\n");
            });
  }

  @Test
  void connectionLimitsRefuseTheConnectOverThemNamingTheLimit() {
    runner
        .withPropertyValues(
            "sse.max-connections=3",
            "sse.max-connections-per-client=1",
            "sse.max-connections-per-group=2",
            "sse.max-groups=2")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              connect(service, "ann", "g1");
              assertRefused(service, "ann", "g1", 429, "maxConnectionsPerClient (1)");
              connect(service, "bob", "g1");
              assertRefused(service, "cid", "g1", 503, "maxConnectionsPerGroup (2)");
              connect(service, "ann", "g2");
              assertRefused(service, "ann", "g3", 503, "maxConnections (3)");
            });
    runner
        .withPropertyValues("sse.max-groups=1")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              connect(service, "ann", "g1");
              assertRefused(service, "ann", "g2", 503, "maxGroups (1)");
            });
  }

  @Test
  void withoutPropertiesAClientMayHave64Connections() {
    runner.run(
        context -> {
          SseService service = context.getBean(SseService.class);
          for (int i = 0; i < SseService.Builder.DEFAULT_MAX_CONNECTIONS_PER_CLIENT; i++) {
            connect(service, "ann", "g");
          }
          assertRefused(service, "ann", "g", 429, "maxConnectionsPerClient (64)");
        });
  }

  private static void connect(SseService service, String clientId, String group) {
    service.connect(
        new InMemoryTransport(), ConnectOptions.builder().clientId(clientId).group(group).build());
  }

  private static void assertRefused(
      SseService service, String clientId, String group, int status, String limit) {
    assertThatThrownBy(() -> connect(service, clientId, group))
        .isInstanceOfSatisfying(
            ConnectRefusedException.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageStartingWith(limit + " reached");
  }

  @Test
  void maxEventBytesRefusesALargerSend() {
    runner
        .withPropertyValues("sse.max-event-bytes=40B")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              connect(service, transport);
              assertThat(service.sendToAll(FORTY)).isEqualTo(1);
              assertThatThrownBy(() -> service.sendToAll(FORTY + "x"))
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessage("event: 41 bytes encoded (expected: at most maxEventBytes, 40)");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sse.max-connections=0",
        "sse.max-connections-per-client=0",
        "sse.max-connections-per-group=-1",
        "sse.max-groups=0",
        "sse.max-event-bytes=0B"
      })
  void aLimitBelowOneFailsStartupNamingTheProperty(String limit) {
    runner
        .withPropertyValues(limit)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(limit.substring(0, limit.indexOf('=')))
                    .hasMessageContaining("(expected: > 0)"));
  }

  @Test
  void withoutHistoryEventsGetNoIds() {
    runner
        .withPropertyValues("sse.history.max-events=1")
        .run(
            context -> {
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              connect(service, transport);
              service.sendToAll("a");
              assertThat(transport.text()).isEqualTo("data: a\n\n");
            });
  }

  private static InMemoryTransport reconnect(SseService service, String lastEventId) {
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(
        transport, ConnectOptions.builder().clientId("ann").lastEventId(lastEventId).build());
    return transport;
  }

  private static String firstId(String text) {
    Matcher m = ID.matcher(text);
    assertThat(m.find()).as("an id in %s", text).isTrue();
    return m.group(1);
  }
}
