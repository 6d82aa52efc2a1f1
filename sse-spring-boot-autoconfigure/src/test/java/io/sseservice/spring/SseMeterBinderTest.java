package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseservice.ConnectOptions;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import io.sseservice.test.InMemoryTransport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The meters follow the service's counters as streams open and events go out. */
class SseMeterBinderTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class));

  @Test
  void gaugesCountConnectionsClientsAndGroups() {
    runner.run(
        context -> {
          MeterRegistry registry = bind(context.getBean(MeterBinder.class));
          SseService service = context.getBean(SseService.class);
          assertThat(gauge(registry, "sse.connections")).isZero();

          join(service, "ann", "default");
          join(service, "ann", "default");
          InMemoryTransport bobs = join(service, "bob", "room-7");

          assertThat(gauge(registry, "sse.connections")).isEqualTo(3);
          assertThat(gauge(registry, "sse.clients")).isEqualTo(2);
          assertThat(gauge(registry, "sse.groups")).isEqualTo(2);

          bobs.peerGone();
          assertThat(gauge(registry, "sse.connections")).isEqualTo(2);
          assertThat(gauge(registry, "sse.groups")).isEqualTo(1);
        });
  }

  @Test
  void countersFollowSendsDropsAndSlowConsumers() {
    runner
        .withPropertyValues(
            "sse.max-queued-bytes=20B", "sse.slow-consumer-grace=0s", "sse.shutdown-timeout=0s")
        .run(
            context -> {
              MeterRegistry registry = bind(context.getBean(MeterBinder.class));
              SseService service = context.getBean(SseService.class);
              join(service, "ann", "default");
              join(service, "bob", "default").pause();

              service.sendToAll("0123456789"); // bob: in flight
              service.sendToAll("0123456789"); // bob: queued, 16 bytes
              service.sendToAll("0123456789"); // bob: 32 bytes > 20, cut off

              assertThat(counter(registry, "sse.events.sent")).isEqualTo(5);
              assertThat(counter(registry, "sse.slow-consumer.disconnects")).isEqualTo(1);
              assertThat(counter(registry, "sse.events.dropped")).isZero();
            });
  }

  @Test
  void droppedEventsAreCounted() {
    runner
        .withPropertyValues(
            "sse.max-queued-bytes=20B",
            "sse.slow-consumer-grace=0s",
            "sse.slow-consumer-policy=drop-oldest",
            "sse.shutdown-timeout=0s")
        .run(
            context -> {
              MeterRegistry registry = bind(context.getBean(MeterBinder.class));
              SseService service = context.getBean(SseService.class);
              join(service, "bob", "default").pause();
              for (int i = 0; i < 4; i++) {
                service.sendToAll("0123456789");
              }
              assertThat(counter(registry, "sse.events.dropped")).isEqualTo(2);
            });
  }

  @Test
  void conflatedEventsAreCounted() {
    runner
        .withPropertyValues("sse.shutdown-timeout=0s")
        .run(
            context -> {
              MeterRegistry registry = bind(context.getBean(MeterBinder.class));
              SseService service = context.getBean(SseService.class);
              join(service, "bob", "default").pause();
              for (int i = 0; i < 4; i++) { // the first in flight, each later one replaces the last
                service.send(
                    Target.defaultGroup(),
                    SseEvent.builder().data("price " + i).conflationKey("AAPL").build());
              }
              assertThat(counter(registry, "sse.events.conflated")).isEqualTo(2);
            });
  }

  @Test
  void historyBytesFollowTheHistory() {
    runner
        .withPropertyValues("sse.history.enabled=true")
        .run(
            context -> {
              MeterRegistry registry = bind(context.getBean(MeterBinder.class));
              SseService service = context.getBean(SseService.class);
              assertThat(gauge(registry, "sse.history.bytes")).isZero();

              service.sendToAll("kept for replay");

              assertThat(gauge(registry, "sse.history.bytes"))
                  .isPositive()
                  .isEqualTo((double) service.stats().historyBytes());
            });
  }

  private static MeterRegistry bind(MeterBinder binder) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    binder.bindTo(registry);
    return registry;
  }

  private static InMemoryTransport join(SseService service, String clientId, String group) {
    InMemoryTransport transport = new InMemoryTransport();
    service.connect(transport, ConnectOptions.builder().clientId(clientId).group(group).build());
    return transport;
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  private static double counter(MeterRegistry registry, String name) {
    return registry.get(name).functionCounter().count();
  }
}
