package io.sseservice.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseservice.SseService;
import io.sseservice.jackson.JacksonMessageCodec;
import io.sseservice.spi.MessageCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures an {@link SseService} bean from {@link SseProperties} ({@code sse.*}), a message
 * codec and every {@link SseServiceBuilderCustomizer}, unless the application defines its own
 * service. Also, each only when its library is present: a {@link JacksonMessageCodec} over the
 * application's {@link ObjectMapper} (sse-jackson), and the service's meters (Micrometer). Every
 * {@code SseService} bean, the application's own too, is closed when the context stops, before
 * the web server's graceful shutdown waits for in-flight requests (event streams never finish by
 * themselves, so the shutdown would otherwise wait out its whole grace period).
 *
 * <p>Nothing here depends on the web stack: Spring MVC and WebFlux applications get the same
 * beans (the graceful shutdown is the same for Tomcat, Jetty and Reactor Netty). The starter
 * brings the Servlet adapter; a WebFlux application adds {@code sse-webflux}.
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration"
    })
@EnableConfigurationProperties(SseProperties.class)
public class SseAutoConfiguration {

  /** Builds the service: properties first, then the codec bean, then customizers in order. */
  @Bean
  @ConditionalOnMissingBean
  public SseService sseService(
      SseProperties properties,
      ObjectProvider<MessageCodec> codec,
      ObjectProvider<SseServiceBuilderCustomizer> customizers) {
    SseService.Builder builder = SseService.builder();
    SsePropertiesMapper.apply(properties, builder);
    codec.ifUnique(builder::messageCodec);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /** Closes every {@code SseService} bean before the web server's graceful shutdown. */
  @Bean
  SseServiceLifecycle sseServiceLifecycle(ObjectProvider<SseService> services) {
    return new SseServiceLifecycle(services);
  }

  /**
   * Sends non-String messages as JSON written by the application's own {@link ObjectMapper}, so
   * {@code spring.jackson.*} settings and registered modules apply to events too. sse-jackson is
   * on Jackson 2: on Spring Boot 4, whose default is Jackson 3, that bean exists only with
   * {@code spring-boot-jackson2}; without it no codec is configured (add one with a customizer).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({JacksonMessageCodec.class, ObjectMapper.class})
  static class JacksonCodecConfiguration {

    @Bean
    @ConditionalOnBean(ObjectMapper.class)
    @ConditionalOnMissingBean(MessageCodec.class)
    JacksonMessageCodec sseJacksonMessageCodec(ObjectMapper objectMapper) {
      return JacksonMessageCodec.of(objectMapper);
    }
  }

  /**
   * Publishes the service's counters as meters; Spring Boot's actuator binds every
   * {@link MeterBinder} bean to its registries. The service is looked up when the binder is
   * bound, not when this class is parsed (nested classes are parsed before the outer class's
   * beans exist, so a bean condition on the service could not see it); with several services and
   * none primary, nothing is published.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    MeterBinder sseMeterBinder(ObjectProvider<SseService> service) {
      return registry -> service.ifUnique(s -> new SseMeterBinder(s).bindTo(registry));
    }
  }
}
