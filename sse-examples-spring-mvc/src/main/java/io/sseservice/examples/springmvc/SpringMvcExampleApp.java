package io.sseservice.examples.springmvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring Boot web app serving server-sent events with sse-service: the seed README's Nest
 * example as a Spring MVC controller ({@link NotificationController}), behind HTTP Basic
 * ({@link SecurityConfig}). The {@code SseService} bean comes from sse-spring-boot-starter,
 * configured by the {@code sse.*} properties in {@code application.properties}.
 *
 * <pre>
 * mvn -q -pl sse-examples-spring-mvc -am -DskipTests package spring-boot:run
 * curl -N -u ann:ann-password localhost:8080/sse
 * curl -u bob:bob-password -H 'Content-Type: application/json' -d '{"text":"hi"}' localhost:8080/notify/ann
 * </pre>
 *
 * <p>Thread-safety: not applicable; the entry point.
 */
@SpringBootApplication
@EnableConfigurationProperties(ExampleUsers.class)
public class SpringMvcExampleApp {

  /** Starts the app. */
  public static void main(String[] args) {
    SpringApplication.run(SpringMvcExampleApp.class, args);
  }
}
