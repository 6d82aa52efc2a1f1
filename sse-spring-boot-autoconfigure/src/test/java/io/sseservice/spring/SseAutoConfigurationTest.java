package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.spi.MessageCodec;
import io.sseservice.test.InMemoryTransport;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Which beans the auto-configuration contributes, and when it backs off. */
class SseAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class));

  record Update(int unreadCount) {}

  @Test
  void anOutOfRangePropertyFailsStartupNamingIt() {
    runner
        .withPropertyValues("sse.keep-alive-interval=-5s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                  .hasMessageContaining("sse.keep-alive-interval")
                  .hasMessageContaining("-5");
            });
  }

  @Test
  void springBootsFailureAnalysisNamesTheBadProperty() {
    runner
        .withPropertyValues("sse.history.enabled=true", "sse.history.max-events=0")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              List<FailureAnalyzer> analyzers =
                  SpringFactoriesLoader.forDefaultResourceLocation()
                      .load(
                          FailureAnalyzer.class,
                          SpringFactoriesLoader.FailureHandler.handleMessage(
                              (message,
                                  e) -> {})); // analyzers that need a bean factory are not ours
              FailureAnalysis analysis =
                  analyzers.stream()
                      .map(a -> a.analyze(failure))
                      .filter(java.util.Objects::nonNull)
                      .findFirst()
                      .orElseThrow();
              assertThat(analysis.getDescription())
                  .contains("sse.history.max-events")
                  .contains("maxEvents");
              assertThat(analysis.getAction()).isNotBlank();
            });
  }

  @Test
  void customizersRunInOrderAfterTheProperties() {
    runner
        .withPropertyValues("sse.default-group=lobby")
        .withUserConfiguration(Customizers.class)
        .run(
            context ->
                assertThat(context.getBean(SseService.class).defaultGroup()).isEqualTo("second"));
  }

  @Test
  void theApplicationsOwnServiceWins() {
    runner
        .withUserConfiguration(OwnService.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SseService.class);
              assertThat(context.getBean(SseService.class).defaultGroup()).isEqualTo("own");
            });
  }

  @Test
  void messagesAreWrittenByTheApplicationsObjectMapper() {
    runner
        .withUserConfiguration(SnakeCaseMapper.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(JacksonMessageCodec.class);
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              service.connect(transport, ConnectOptions.defaults());

              service.sendToAll(new Update(3));

              assertThat(transport.text()).isEqualTo("data: {\"unread_count\":3}\n\n");
            });
  }

  @Test
  void withoutAnObjectMapperBeanOnlyStringsCanBeSent() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(MessageCodec.class);
          SseService service = context.getBean(SseService.class);
          assertThatThrownBy(() -> service.sendToAll(new Update(3)))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("MessageCodec");
        });
  }

  @Test
  void anApplicationCodecReplacesTheJacksonOne() {
    runner
        .withUserConfiguration(SnakeCaseMapper.class, UpperCaseCodec.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(JacksonMessageCodec.class);
              SseService service = context.getBean(SseService.class);
              InMemoryTransport transport = new InMemoryTransport();
              service.connect(transport, ConnectOptions.defaults());
              service.sendToAll(new Update(3));
              assertThat(transport.text()).isEqualTo("data: UPDATE[UNREADCOUNT=3]\n\n");
            });
  }

  @Test
  void withoutSseJacksonOrJacksonTheServiceStillStarts() {
    runner
        .withUserConfiguration(SnakeCaseMapper.class)
        .withClassLoader(new FilteredClassLoader(JacksonMessageCodec.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(SseService.class);
              assertThat(context).doesNotHaveBean(MessageCodec.class);
            });
  }

  @Test
  void withoutMicrometerThereIsNoMeterBinder() {
    runner
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(SseService.class);
              assertThat(context.getBeanNamesForType(MeterBinder.class)).isEmpty();
            });
  }

  @Test
  void closingTheContextClosesTheService() {
    AtomicReference<SseService> service = new AtomicReference<>();
    runner.run(
        context -> {
          service.set(context.getBean(SseService.class));
          assertThat(service.get().isClosed()).isFalse();
        });
    assertThat(service.get().isClosed()).isTrue();
  }

  @Test
  void everyServiceIsClosedBeforeTheWebServersGracefulShutdownPhase() {
    runner
        .withUserConfiguration(OwnService.class, GracefulShutdownStandIn.class)
        .run(
            context -> {
              GracefulShutdownStandIn standIn = context.getBean(GracefulShutdownStandIn.class);
              context.close();
              assertThat(standIn.serviceClosedWhenStopped).isTrue();
            });
  }

  /** Declared out of order: only {@code @Order} can make "second" run last. */
  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    @Bean
    @Order(2)
    SseServiceBuilderCustomizer second() {
      return builder -> builder.defaultGroup("second");
    }

    @Bean
    @Order(1)
    SseServiceBuilderCustomizer first() {
      return builder -> builder.defaultGroup("first");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnService {
    @Bean
    SseService ownSseService() {
      return SseService.builder().defaultGroup("own").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SnakeCaseMapper {
    @Bean
    ObjectMapper objectMapper() {
      return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UpperCaseCodec {
    @Bean
    MessageCodec upperCaseCodec() {
      return message -> message.toString().toUpperCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Stands in for Spring Boot's {@code WebServerGracefulShutdownLifecycle}: same phase
   * ({@code DEFAULT_PHASE - 1024}, its {@code SMART_LIFECYCLE_PHASE} in Boot 3.5), and it records
   * whether the service was already closed when its turn to stop came.
   */
  static class GracefulShutdownStandIn implements SmartLifecycle {
    private final SseService service;
    volatile boolean running;
    volatile boolean serviceClosedWhenStopped;

    GracefulShutdownStandIn(SseService service) {
      this.service = service;
    }

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      serviceClosedWhenStopped = service.isClosed();
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
  }
}
