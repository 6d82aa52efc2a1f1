package io.sseservice;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sseservice.SpecEventStreamParser.Dispatched;
import io.sseservice.internal.SseEncoder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the encoder: any data, event type, id, retry and comment ({@link FuzzInput} reads them
 * from the input) is either refused when the event is built, with an exception naming the field,
 * or encoded into bytes that a parser written from the spec ({@link SpecEventStreamParser}) reads
 * back exactly: one event per event with data, the same data with its line ends made LF, the
 * same type, id and retry, and no line the event did not ask for. The size the service checks
 * against {@code maxEventBytes} is the encoded size, to the byte.
 *
 * <p>{@code mvn test} runs the committed corpus under {@code EncoderFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md, "Fuzzing").
 */
class EncoderFuzzTest {

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "EncoderFuzzTest.dict")
  void encodedEventsParseBack(byte[] input) {
    List<SseEvent> built = new ArrayList<>();
    for (FuzzInput.Spec spec : FuzzInput.events(input)) {
      SseEvent event = buildOrCheckRefusal(spec);
      if (event != null) {
        built.add(event);
      }
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (SseEvent event : built) {
      byte[] frame = SseEncoder.encode(event);
      checkSize(event, frame);
      checkAlone(event, frame);
      stream.writeBytes(frame);
    }
    checkStream(built, stream.toByteArray());
  }

  /** Returns the event, or null when the builder refused it for the reason the spec says. */
  private static @Nullable SseEvent buildOrCheckRefusal(FuzzInput.Spec spec) {
    String refusal = expectedRefusal(spec);
    try {
      SseEvent.Builder b = SseEvent.builder().data(spec.data).event(spec.event).id(spec.id);
      b.retry(spec.retryMillis == null ? null : Duration.ofMillis(spec.retryMillis));
      SseEvent event = b.comment(spec.comment).build();
      assertThat(refusal).as("refusal expected, but built %s", event).isNull();
      return event;
    } catch (IllegalArgumentException e) {
      assertThat(refusal).as("unexpected refusal: %s", e.getMessage()).isNotNull();
      assertThat(e.getMessage()).startsWith(refusal);
      return null;
    }
  }

  /**
   * What the builder must refuse, first failing setter first, as the message starts: CR or LF in
   * the type (it would end the field), CR, LF or NUL in the id (clients drop an id with NUL), a
   * type or id that UTF-8 would change (an unpaired surrogate), a retry below zero or over 365
   * days, no field at all.
   */
  private static @Nullable String expectedRefusal(FuzzInput.Spec spec) {
    if (spec.event != null
        && (hasAny(spec.event, "\r\n") || !onWire(spec.event).equals(spec.event))) {
      return "event: ";
    }
    if (spec.id != null && (hasAny(spec.id, "\r\n\0") || !onWire(spec.id).equals(spec.id))) {
      return "id: ";
    }
    if (spec.retryMillis != null
        && (spec.retryMillis < 0 || spec.retryMillis > Duration.ofDays(365).toMillis())) {
      return "retry: ";
    }
    return spec.isEmpty() ? "event has no field" : null;
  }

  private static boolean hasAny(String s, String chars) {
    return s.chars().anyMatch(c -> chars.indexOf(c) >= 0);
  }

  /** The service's size check, which decides maxEventBytes, counts exactly the encoded bytes. */
  private static void checkSize(SseEvent event, byte[] frame) {
    assertThat(SseEncoder.size(event)).as("size()").isEqualTo(frame.length);
    assertThat(new Events(null, frame.length).checkSize(event)).isSameAs(event);
    assertThatThrownBy(() -> new Events(null, frame.length - 1).checkSize(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEventBytes, " + (frame.length - 1));
  }

  /** One frame alone: the exact lines it asked for, one blank line, at most one dispatch. */
  private static void checkAlone(SseEvent event, byte[] frame) {
    SpecEventStreamParser parser = SpecEventStreamParser.parse(frame);
    assertThat(parser.pending()).as("lines after the last blank line").isEmpty();
    assertThat(parser.blocks).hasSize(1);
    assertThat(sorted(parser.blocks.get(0))).isEqualTo(expectedLines(event));
    assertThat(parser.dispatched).hasSize(event.data().isPresent() ? 1 : 0);
    assertThat(parser.retry).isEqualTo(event.retry().map(Duration::toMillis).orElse(-1L));
  }

  /** The frames back to back: every event with data, in order, each with the id then in force. */
  private static void checkStream(List<SseEvent> events, byte[] stream) {
    SpecEventStreamParser parser = SpecEventStreamParser.parse(stream);
    List<Dispatched> expected = new ArrayList<>();
    String lastId = "";
    for (SseEvent event : events) {
      lastId = event.id().map(EncoderFuzzTest::onWire).orElse(lastId);
      if (event.data().isPresent()) {
        expected.add(
            new Dispatched(
                event
                    .event()
                    .filter(t -> !t.isEmpty())
                    .map(EncoderFuzzTest::onWire)
                    .orElse("message"),
                lineEndsToLf(onWire(event.data().get())),
                lastId));
      }
    }
    assertThat(parser.blocks).hasSameSizeAs(events);
    assertThat(parser.dispatched).containsExactlyElementsOf(expected);
    assertThat(parser.lastEventId()).isEqualTo(lastId);
  }

  /** The kinds of line an event must make, sorted: the order of fields is not the contract. */
  private static List<String> expectedLines(SseEvent event) {
    List<String> lines = new ArrayList<>();
    event.comment().ifPresent(c -> lines.addAll(Collections.nCopies(lineCount(c), ":")));
    event.id().ifPresent(id -> lines.add("id"));
    event.event().ifPresent(t -> lines.add("event"));
    event.retry().ifPresent(r -> lines.add("retry"));
    event.data().ifPresent(d -> lines.addAll(Collections.nCopies(lineCount(d), "data")));
    return sorted(lines);
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }

  /** Lines of {@code s} when CRLF, LF and CR each end one. */
  private static int lineCount(String s) {
    return lineEndsToLf(s).split("\n", -1).length;
  }

  private static String lineEndsToLf(String s) {
    return s.replace("\r\n", "\n").replace('\r', '\n');
  }

  /**
   * What a string becomes in UTF-8 and back: unchanged, except that an unpaired surrogate, which
   * UTF-8 cannot hold, becomes {@code ?} (what {@link String#getBytes} writes).
   */
  private static String onWire(String s) {
    return new String(s.getBytes(UTF_8), UTF_8);
  }
}
