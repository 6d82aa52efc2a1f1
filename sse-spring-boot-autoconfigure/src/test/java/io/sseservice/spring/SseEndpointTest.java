package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.spring.SseEndpoint.ClientDescriptor;
import io.sseservice.spring.SseEndpoint.GroupDescriptor;
import io.sseservice.spring.SseEndpoint.SseDescriptor;
import io.sseservice.test.InMemoryTransport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code sse} actuator endpoint: when it exists, and what it lists (the same on Boot 3 and 4). */
class SseEndpointTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SseAutoConfiguration.class, SseEndpointAutoConfiguration.class));
  private final ApplicationContextRunner exposed =
      runner.withPropertyValues("management.endpoints.web.exposure.include=sse");

  @Test
  void notThereUnlessExposed() {
    runner.run(
        context ->
            assertThat(context).doesNotHaveBean(SseEndpoint.class).hasSingleBean(SseService.class));
    exposed
        .withPropertyValues("management.endpoint.sse.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(SseEndpoint.class));
    exposed.run(context -> assertThat(context).hasSingleBean(SseEndpoint.class));
  }

  @Test
  void anApplicationWithoutActuatorWorksAsBefore() {
    exposed
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("sseEndpoint")
                    .hasSingleBean(SseService.class));
  }

  @Test
  void listsGroupsInNameOrderWithTheirClientsAndConnections() {
    exposed.run(
        context -> {
          SseService service = context.getBean(SseService.class);
          SseConnection phone = connect(service, "ann", "room-7", Map.of("plan", "pro"));
          connect(service, "ann", "room-7", Map.of());
          connect(service, "bob", "default", Map.of());

          SseDescriptor all = context.getBean(SseEndpoint.class).sse(null);

          assertThat(all.nodeId()).isEqualTo(service.nodeId());
          assertThat(all.totals()).isEqualTo(new SseEndpoint.Totals(2, 2, 3));
          assertThat(all.limit()).isEqualTo(SseEndpoint.DEFAULT_LIMIT);
          assertThat(all.truncated()).isFalse();
          assertThat(all.groups())
              .extracting(GroupDescriptor::name)
              .containsExactly("default", "room-7");
          ClientDescriptor ann = all.groups().get(1).clients().get(0);
          assertThat(ann.id()).isEqualTo("ann");
          assertThat(ann.metadata()).containsEntry("plan", "pro");
          assertThat(ann.connectionCount()).isEqualTo(2);
          assertThat(ann.connections().get(0).id()).isEqualTo(phone.id());
          assertThat(ann.connections().get(0).connectedAt())
              .isEqualTo(phone.connectedAt().toString());
        });
  }

  @Test
  void theLimitBoundsGroupsClientsAndConnections() {
    exposed.run(
        context -> {
          SseService service = context.getBean(SseService.class);
          for (int i = 0; i < 5; i++) {
            connect(service, "user" + i, "big", Map.of());
          }
          connect(service, "zed", "small", Map.of());
          connect(service, "zed", "small", Map.of());
          SseEndpoint endpoint = context.getBean(SseEndpoint.class);

          SseDescriptor two = endpoint.sse(2);
          assertThat(two.truncated()).isTrue();
          assertThat(two.groups())
              .extracting(GroupDescriptor::name)
              .containsExactly("big", "small");
          assertThat(two.groups().get(0).clients()).hasSize(2);
          assertThat(two.groups().get(0).clientCount()).isEqualTo(5);
          assertThat(two.groups().get(1).clients()).isEmpty(); // the budget is spent
          assertThat(two.totals().clients()).isEqualTo(6);

          assertThat(endpoint.sse(1).groups())
              .extracting(GroupDescriptor::name)
              .containsExactly("big");
          assertThat(endpoint.sse(0).groups()).isEmpty();
          assertThat(endpoint.sse(-3).limit()).isZero();
          assertThat(endpoint.sse(1_000_000).limit()).isEqualTo(SseEndpoint.MAX_LIMIT);
          ClientDescriptor zed = endpoint.group("small", 1).clients().get(0);
          assertThat(zed.connections()).hasSize(1);
          assertThat(zed.connectionCount()).isEqualTo(2);
          assertThat(endpoint.group("small", 1).truncated()).isTrue();
        });
  }

  @Test
  void theSelectorListsOneGroupOrNothing() {
    exposed.run(
        context -> {
          SseService service = context.getBean(SseService.class);
          connect(service, "ann", "room-7", Map.of());
          SseEndpoint endpoint = context.getBean(SseEndpoint.class);

          GroupDescriptor room = endpoint.group("room-7", null);

          assertThat(room.name()).isEqualTo("room-7");
          assertThat(room.clientCount()).isEqualTo(1);
          assertThat(room.truncated()).isFalse();
          assertThat(room.clients()).extracting(ClientDescriptor::id).containsExactly("ann");
          assertThat(endpoint.group("nobody-here", null)).isNull(); // actuator answers 404
        });
  }

  private static SseConnection connect(
      SseService service, String clientId, String group, Map<String, ?> metadata) {
    return service.connect(
        new InMemoryTransport(),
        ConnectOptions.builder().clientId(clientId).group(group).metadata(metadata).build());
  }
}
