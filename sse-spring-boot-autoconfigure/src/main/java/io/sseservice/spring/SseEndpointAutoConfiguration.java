package io.sseservice.spring;

import io.sseservice.SseService;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@link SseEndpoint} ({@code /actuator/sse}) when actuator is on the class path
 * (the same API on Spring Boot 3 and 4), there is one {@code SseService} (or a primary one), and
 * Boot's rules make the endpoint available: exposed
 * ({@code management.endpoints.web.exposure.include=sse}, or over JMX) and its access not
 * {@code none}. Boot exposes only health by default, so without that setting there is no bean.
 *
 * <p>Thread-safety: configuration; Spring calls it on one thread while the context starts.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
@ConditionalOnSingleCandidate(SseService.class)
public class SseEndpointAutoConfiguration {

  /** Lists the service's groups, clients and connections. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(SseEndpoint.class)
  public SseEndpoint sseEndpoint(SseService service) {
    return new SseEndpoint(service);
  }
}
