package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.ConnectOptions;
import io.sseservice.SseDirectory;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Client ids, groups, connection ids and metadata keys holding a control character are refused
 * wherever they enter, with a message that names the field and shows the value escaped.
 */
class ControlCharactersTest {

  private final SseService service = SseService.builder().keepAliveInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    service.close();
  }

  private static void refused(Executable call, String message) {
    assertThatThrownBy(call::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void connectOptionsRefuseEveryKindOfControlCharacterNamingTheField() {
    ConnectOptions.Builder b = ConnectOptions.builder();
    refused(() -> b.clientId("a\nb"), "clientId: \"a\\nb\" contains a control character (U+000A)");
    refused(
        () -> b.clientId("a\r\nSEVERE: forged"),
        "clientId: \"a\\r\\nSEVERE: forged\" contains a control character (U+000D)");
    refused(
        () -> b.clientId("tab\there"),
        "clientId: \"tab\\there\" contains a control character (U+0009)");
    refused(
        () -> b.clientId("nul\0"),
        "clientId: \"nul\\u0000\" contains a control character (U+0000)");
    refused(
        () -> b.group("del\u007F"), "group: \"del\\u007f\" contains a control character (U+007F)");
    refused(
        () -> b.group("nel\u0085"), "group: \"nel\\u0085\" contains a control character (U+0085)");
    refused(() -> b.group("a\u2028b"), "group: \"a\\u2028b\" contains a line separator (U+2028)");
    refused(
        () -> b.group("\u202Egnp.exe"),
        "group: \"\\u202egnp.exe\" contains a bidirectional control (U+202E)");
    refused(
        () -> b.clientId("half\uD83D"),
        "clientId: \"half\\ud83d\" contains an unpaired surrogate (U+D83D)");
    refused(
        () -> b.metadata(Map.of("k\n", 1)),
        "metadata key: \"k\\n\" contains a control character (U+000A)");
    refused(
        () -> b.connectionMetadata(Map.of("k\r", 1)),
        "metadata key: \"k\\r\" contains a control character (U+000D)");
  }

  @Test
  void otherTextIsAcceptedAndMetadataValuesMayHoldAnything() {
    ConnectOptions options =
        ConnectOptions.builder()
            .clientId("ünïcødé ✓ 😀 user@example.com")
            .group("room 7 / ß")
            .metadata(Map.of("note", "line 1\nline 2"))
            .build();
    assertThat(options.clientId()).hasValue("ünïcødé ✓ 😀 user@example.com");
    assertThat(options.group()).hasValue("room 7 / ß");
  }

  @Test
  void aLongValueIsCutInTheMessage() {
    String id = "x".repeat(10_000) + "\n";
    assertThatThrownBy(() -> ConnectOptions.builder().clientId(id))
        .hasMessageStartingWith("clientId: \"" + "x".repeat(200) + "...(10001 chars)\"")
        .hasMessageEndingWith("contains a control character (U+000A)");
  }

  @Test
  void everyServiceMethodThatTakesAnIdOrGroupRefusesThem() {
    String line = "clientId: \"a\\nb\" contains a control character (U+000A)";
    String group = "group: \"g\\n\" contains a control character (U+000A)";
    refused(() -> service.sendToClient("a\nb", "x"), line);
    refused(() -> service.sendToClient("a", "x", null, "g\n"), group);
    refused(() -> service.sendToAll("x", null, "g\n"), group);
    refused(() -> service.send(Target.client("a\nb"), SseEvent.of("x")), line);
    refused(() -> service.send(Target.group("g\n"), SseEvent.of("x")), group);
    refused(
        () -> service.send(Target.connection("c\n"), SseEvent.of("x")),
        "connectionId: \"c\\n\" contains a control character (U+000A)");
    refused(() -> service.client("a\nb"), line);
    refused(() -> service.client("a", "g\n"), group);
    refused(() -> service.clients("g\n"), group);
    refused(() -> service.setClientMetadata("a\nb", Map.of()), line);
    refused(
        () -> service.mergeClientMetadata("a", Map.of("k\n", 1)),
        "metadata key: \"k\\n\" contains a control character (U+000A)");
    refused(
        () -> SseService.builder().defaultGroup("g\n"),
        "defaultGroup: \"g\\n\" contains a control character (U+000A)");
  }

  @Test
  void everyDirectoryMethodThatTakesAnIdOrGroupRefusesThem() {
    SseDirectory directory = service.directory();
    String line = "clientId: \"a\\nb\" contains a control character (U+000A)";
    String group = "group: \"g\\n\" contains a control character (U+000A)";
    refused(() -> directory.client("a\nb"), line);
    refused(() -> directory.client("a", "g\n"), group);
    refused(() -> directory.clients("g\n"), group);
    refused(() -> directory.setClientMetadata("a\nb", Map.of(), null), line);
    refused(() -> directory.mergeClientMetadata("a", Map.of(), "g\n"), group);
    refused(
        () -> directory.mergeClientMetadata("a", Map.of("k\n", 1), null),
        "metadata key: \"k\\n\" contains a control character (U+000A)");
  }

  @Test
  void aGeneratedIdWithAControlCharacterFailsTheConnect() {
    try (SseService generating =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .clientIdGenerator(() -> "gen\nerated")
            .build()) {
      assertThatThrownBy(
              () -> generating.connect(new InMemoryTransport(), ConnectOptions.defaults()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "clientIdGenerator returned an id it may not: clientId: \"gen\\nerated\"");
      assertThat(generating.stats().connections()).isZero();
    }
  }
}
