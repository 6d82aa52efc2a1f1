package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The defaults that IDEs show (the generated {@code spring-configuration-metadata.json}, whose
 * values come from {@code additional-spring-configuration-metadata.json}) are the real ones,
 * which {@link SseProperties} takes from the builders' {@code DEFAULT_*} constants.
 */
class SsePropertiesMetadataTest {

  @Test
  void documentedDefaultsBindToTheActualDefaults() throws Exception {
    Map<String, String> documented = documentedDefaults();
    assertThat(documented)
        .containsKeys(
            "sse.keep-alive-interval",
            "sse.default-group",
            "sse.max-queued-bytes",
            "sse.slow-consumer-grace",
            "sse.slow-consumer-policy",
            "sse.write-timeout",
            "sse.shutdown-timeout",
            "sse.shutdown-reconnect-window.min",
            "sse.shutdown-reconnect-window.max",
            "sse.history.enabled",
            "sse.history.max-events",
            "sse.history.max-bytes",
            "sse.history.max-age",
            "sse.max-connections",
            "sse.max-connections-per-client",
            "sse.max-connections-per-group",
            "sse.max-groups",
            "sse.history.max-total-bytes");

    SseProperties bound =
        new Binder(new MapConfigurationPropertySource(documented))
            .bind("sse", Bindable.of(SseProperties.class))
            .get();

    assertThat(bound).usingRecursiveComparison().isEqualTo(new SseProperties());
  }

  @Test
  void documentedRedisDefaultsBindToTheClusterBuildersDefaults() throws Exception {
    Map<String, String> documented = documentedDefaults();
    assertThat(documented)
        .containsKeys(
            "sse.redis.key-prefix",
            "sse.redis.max-events",
            "sse.redis.max-age",
            "sse.redis.directory-ttl",
            "sse.redis.max-pending-sends",
            "sse.redis.outage-timeout");

    SseRedisProperties bound =
        new Binder(new MapConfigurationPropertySource(documented))
            .bind("sse.redis", Bindable.of(SseRedisProperties.class))
            .get();

    assertThat(bound).usingRecursiveComparison().isEqualTo(new SseRedisProperties());
  }

  @Test
  void theHealthIndicatorsSwitchIsDocumented() throws Exception {
    assertThat(documentedDefaults()).containsEntry("management.health.sse.enabled", "true");
  }

  private static Map<String, String> documentedDefaults() throws Exception {
    Map<String, String> defaults = new HashMap<>();
    try (InputStream in =
        SsePropertiesMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata").isNotNull();
      for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
        JsonNode value = property.get("defaultValue");
        if (value != null) {
          defaults.put(property.get("name").asText(), value.asText());
        }
      }
    }
    return defaults;
  }
}
