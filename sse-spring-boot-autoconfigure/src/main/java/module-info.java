/**
 * sse-service Spring Boot auto-configuration. Spring's jars are automatic modules (named by
 * their Automatic-Module-Name); the package is opened to Spring, which creates the configuration
 * and properties beans reflectively.
 */
module io.sseservice.spring {
  requires transitive io.sseservice;
  // their types appear in this module's public API (annotations, ObjectProvider, DataSize)
  requires transitive spring.beans;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires transitive spring.core;
  requires static io.sseservice.jackson;
  requires static transitive io.sseservice.redis; // RedisCluster is a bean type here
  requires static com.fasterxml.jackson.databind;
  requires static micrometer.core;
  // optional: actuator (the endpoint, Boot 3's health API) and Boot 4's spring-boot-health,
  // transitive as their annotations and HealthIndicator are in this module's API
  requires static transitive spring.boot.actuator;
  requires static transitive spring.boot.actuator.autoconfigure;
  requires static transitive spring.boot.health;
  requires static transitive org.jspecify;

  exports io.sseservice.spring;

  opens io.sseservice.spring to
      spring.core,
      spring.beans,
      spring.context;
}
