package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.InMemoryTransport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/**
 * The auto-configuration in a reactive (WebFlux) web application context: nothing in it depends
 * on the Servlet stack, so a WebFlux app gets the same service, meters and graceful close.
 */
class SseReactiveWebAutoConfigurationTest {

  private final ReactiveWebApplicationContextRunner runner =
      new ReactiveWebApplicationContextRunner()
          // no Servlet API on a WebFlux app's class path: hide it, should a test dependency bring
          // it
          .withClassLoader(new FilteredClassLoader("jakarta.servlet"))
          .withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class));

  @Test
  void theServiceIsConfiguredFromItsProperties() {
    runner
        .withPropertyValues("sse.default-group=lobby", "sse.max-queued-bytes=2KB")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(SseService.class);
              assertThat(context.getBean(SseService.class).defaultGroup()).isEqualTo("lobby");
            });
  }

  @Test
  void theMetersBindAndFollowTheService() {
    runner.run(
        context -> {
          MeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(MeterBinder.class).bindTo(registry);
          SseService service = context.getBean(SseService.class);

          service.connect(
              new InMemoryTransport(), ConnectOptions.builder().clientId("ann").build());
          service.sendToClient("ann", "hi");

          assertThat(registry.get("sse.connections").gauge().value()).isEqualTo(1);
          assertThat(registry.get("sse.clients").gauge().value()).isEqualTo(1);
          assertThat(registry.get("sse.events.sent").functionCounter().count()).isEqualTo(1);
        });
  }

  @Test
  void closingTheContextClosesTheServiceBeforeTheGracefulShutdownPhase() {
    AtomicReference<SseService> service = new AtomicReference<>();
    InMemoryTransport stream = new InMemoryTransport();
    runner
        .withUserConfiguration(SseAutoConfigurationTest.GracefulShutdownStandIn.class)
        .run(
            context -> {
              service.set(context.getBean(SseService.class));
              service.get().connect(stream, ConnectOptions.defaults());
              SseAutoConfigurationTest.GracefulShutdownStandIn standIn =
                  context.getBean(SseAutoConfigurationTest.GracefulShutdownStandIn.class);
              context.close();
              assertThat(standIn.serviceClosedWhenStopped).isTrue();
            });
    assertThat(service.get().isClosed()).isTrue();
    assertThat(stream.isClosed()).as("its streams were ended").isTrue();
  }
}
