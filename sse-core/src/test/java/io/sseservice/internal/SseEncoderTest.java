package io.sseservice.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseservice.SseEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact bytes for the test vectors of SSE-NOTES.md and every field. */
class SseEncoderTest {

  private static String encode(SseEvent event) {
    return new String(SseEncoder.encode(event), UTF_8);
  }

  private static String data(String data) {
    return encode(SseEvent.of(data));
  }

  @Test
  void plainMessageIsOneDataLineAndABlankLine() {
    assertThat(data("hello")).isEqualTo("data: hello\n\n");
  }

  @Test
  void emptyMessageIsAnEmptyDataLine() {
    assertThat(data("")).isEqualTo("data: \n\n");
  }

  @Test
  void everyLineEndingSplitsData() {
    assertThat(data("a\nb")).isEqualTo("data: a\ndata: b\n\n");
    assertThat(data("a\r\nb")).isEqualTo("data: a\ndata: b\n\n");
    assertThat(data("a\rb")).isEqualTo("data: a\ndata: b\n\n");
    assertThat(data("a\r\rb")).isEqualTo("data: a\ndata: \ndata: b\n\n");
    assertThat(data("a\n\rb")).isEqualTo("data: a\ndata: \ndata: b\n\n");
  }

  @Test
  void blankLineInsideDataStaysInsideTheEvent() {
    assertThat(data("a\n\nb")).isEqualTo("data: a\ndata: \ndata: b\n\n");
  }

  @Test
  void loneNewlineIsTwoEmptyDataLines() {
    assertThat(data("\n")).isEqualTo("data: \ndata: \n\n");
    assertThat(data("\r\n")).isEqualTo("data: \ndata: \n\n");
    assertThat(data("a\n")).isEqualTo("data: a\ndata: \n\n");
  }

  @Test
  void leadingSpaceSurvivesBecauseOneSpaceAlwaysFollowsTheColon() {
    assertThat(data(" leading space")).isEqualTo("data:  leading space\n\n");
  }

  @Test
  void textThatLooksLikeFieldsCannotInjectThem() {
    assertThat(data("x\nevent: evil\n\ndata: injected"))
        .isEqualTo("data: x\ndata: event: evil\ndata: \ndata: data: injected\n\n");
  }

  @Test
  void nonAsciiIsUtf8() {
    assertThat(SseEncoder.encode(SseEvent.of("é😀"))).isEqualTo("data: é😀\n\n".getBytes(UTF_8));
  }

  @Test
  void allFieldsInTheirOrder() {
    SseEvent event =
        SseEvent.builder()
            .comment("note")
            .id("42")
            .event("update")
            .retry(Duration.ofSeconds(3))
            .data("payload")
            .build();
    assertThat(encode(event))
        .isEqualTo(": note\nid: 42\nevent: update\nretry: 3000\ndata: payload\n\n");
  }

  @Test
  void idZeroIsSent() {
    assertThat(encode(SseEvent.builder().id(0).data("x").build())).isEqualTo("id: 0\ndata: x\n\n");
    assertThat(encode(SseEvent.builder().id("0").data("x").build()))
        .isEqualTo("id: 0\ndata: x\n\n");
  }

  @Test
  void emptyIdIsSentToResetTheLastEventId() {
    assertThat(encode(SseEvent.builder().id("").data("x").build())).isEqualTo("id: \ndata: x\n\n");
  }

  @Test
  void eventWithoutDataHasNoDataLine() {
    assertThat(encode(SseEvent.builder().id("7").build())).isEqualTo("id: 7\n\n");
    assertThat(encode(SseEvent.builder().retry(Duration.ZERO).build())).isEqualTo("retry: 0\n\n");
  }

  @Test
  void multiLineCommentIsOneCommentLinePerLine() {
    assertThat(encode(SseEvent.builder().comment("a\nb\r\nc").build()))
        .isEqualTo(": a\n: b\n: c\n\n");
  }

  @Test
  void pingIsACommentNeverData() {
    assertThat(new String(SseEncoder.ping(), UTF_8)).isEqualTo(": ping\n\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "a\r\nb", "\n", "x\n\ndata: y"})
  void eventWithLineBreakIsRefusedNamingTheField(String name) {
    assertThatThrownBy(() -> SseEvent.builder().event(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event: ");
  }

  @Test
  void idWithLineBreakOrNulIsRefusedNamingTheField() {
    for (String id : new String[] {"1\n2", "1\r2", "1\r\n", "a\0b"}) {
      assertThatThrownBy(() -> SseEvent.builder().id(id))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("id: ")
          .hasMessageContaining("expected: no CR, LF or NUL");
    }
  }

  /**
   * Found by LastEventIdFuzzTest: an unpaired surrogate went out as {@code ?}, so the client sent
   * back an id the history did not hold and got a reset instead of its replay.
   */
  @ParameterizedTest
  @ValueSource(strings = {"a\uD800b", "\uDC00", "x\uDE00\uD83D", "end\uD83D"})
  void idOrEventWithUnpairedSurrogateIsRefusedNamingTheField(String value) {
    assertThatThrownBy(() -> SseEvent.builder().id(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("id: ")
        .hasMessageContaining("expected: no unpaired surrogate");
    assertThatThrownBy(() -> SseEvent.builder().event(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event: ")
        .hasMessageContaining("expected: no unpaired surrogate");
  }

  @Test
  void idOrEventWithSurrogatePairIsWrittenAsIs() {
    assertThat(
            encode(SseEvent.builder().data("x").event("\uD83D\uDE00").id("\uD83D\uDE00").build()))
        .isEqualTo("id: \uD83D\uDE00\nevent: \uD83D\uDE00\ndata: x\n\n");
  }

  @Test
  void eventWithUnescapedLineBreakIsNeverWritten() {
    assertThatThrownBy(() -> SseEvent.builder().data("x").event("a\nid: 1").build())
        .hasMessageContaining("a\\nid: 1");
  }

  @Test
  void negativeRetryIsRefused() {
    assertThatThrownBy(() -> SseEvent.builder().retry(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry: PT-0.005S (expected: >= 0)");
  }

  @Test
  void eventWithNoFieldIsRefused() {
    assertThatThrownBy(() -> SseEvent.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one of data");
  }

  @Test
  void sizeIsTheLengthOfTheEncodingWithoutMakingIt() {
    String[] pieces = {
      "a",
      "é",
      "€",
      "\uD83D\uDE00",
      "\uD800",
      "\uDC00",
      "\uDC00\uD800",
      "\r",
      "\n",
      "\r\n",
      "\0",
      " ",
      ""
    };
    java.util.Random random = new java.util.Random(14);
    int checked = 0;
    for (int i = 0; i < 5_000; i++) {
      SseEvent event;
      try {
        SseEvent.Builder builder = SseEvent.builder().data(text(random, pieces));
        if (random.nextBoolean()) {
          builder.comment(text(random, pieces));
        }
        if (random.nextBoolean()) {
          builder.id(text(random, pieces));
        }
        if (random.nextBoolean()) {
          builder.event(text(random, pieces));
        }
        if (random.nextBoolean()) {
          builder.retry(Duration.ofMillis(random.nextInt(100_000)));
        }
        event = builder.build();
      } catch (IllegalArgumentException refused) {
        continue; // an id or a type that may not be written
      }
      assertThat(SseEncoder.size(event)).as("%s", event).isEqualTo(SseEncoder.encode(event).length);
      checked++;
    }
    assertThat(checked).isGreaterThan(500);
  }

  private static String text(java.util.Random random, String[] pieces) {
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(12); n > 0; n--) {
      text.append(pieces[random.nextInt(pieces.length)]);
    }
    return text.toString();
  }
}
