package io.sseservice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.SseEvent;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import okhttp3.internal.sse.ServerSentEventReader;
import okio.Buffer;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Any message survives a round trip through a real, independently written SSE parser (OkHttp's):
 * the parser sees exactly one event, with the same type and id, and the data equal to the message
 * with its line endings normalised to LF, as the spec says every client does.
 */
class SseEncoderRoundTripTest {

  @Property(tries = 2000)
  void anyMessageRoundTrips(
      @ForAll("text") String data, @ForAll("name") String type, @ForAll("name") String id)
      throws java.io.IOException {
    SseEvent event = SseEvent.builder().data(data).event(type).id(id).build();

    List<String[]> parsed = parse(SseEncoder.encode(event));

    assertThat(parsed).hasSize(1);
    String[] e = parsed.get(0);
    assertThat(e[0] == null ? "" : e[0])
        .as("id (OkHttp reports an empty id as null)")
        .isEqualTo(id);
    assertThat(e[1]).isEqualTo(type.isEmpty() ? null : type);
    assertThat(e[2]).isEqualTo(data.replace("\r\n", "\n").replace('\r', '\n'));
  }

  @Property(tries = 500)
  void consecutiveEventsStaySeparate(@ForAll("text") String first, @ForAll("text") String second)
      throws java.io.IOException {
    byte[] a = SseEncoder.encode(SseEvent.of(first));
    byte[] b = SseEncoder.encode(SseEvent.of(second));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);

    List<String[]> parsed = parse(both);

    assertThat(parsed)
        .extracting(e -> e[2])
        .containsExactly(
            first.replace("\r\n", "\n").replace('\r', '\n'),
            second.replace("\r\n", "\n").replace('\r', '\n'));
  }

  /** Text of valid UTF-16 (no lone surrogates), rich in line breaks and field-like prefixes. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "\n", "\r", "\r\n", "\n\n", ":", "data: ", "event: x", "id: 1", " ", "😀", "é"),
            Arbitraries.strings().all().ofMaxLength(8).filter(SseEncoderRoundTripTest::validUtf16));
    return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
  }

  @Provide
  Arbitrary<String> name() {
    return Arbitraries.strings()
        .all()
        .ofMaxLength(10)
        .filter(s -> s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0)
        .filter(SseEncoderRoundTripTest::validUtf16);
  }

  private static boolean validUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Returns [id, type, data] per dispatched event. */
  private static List<String[]> parse(byte[] stream) throws java.io.IOException {
    List<String[]> events = new ArrayList<>();
    Buffer source = new Buffer().write(stream);
    ServerSentEventReader reader =
        new ServerSentEventReader(
            source,
            new ServerSentEventReader.Callback() {
              @Override
              public void onEvent(
                  @Nullable String id, @Nullable String type, @NotNull String data) {
                events.add(new String[] {id, type, data});
              }

              @Override
              public void onRetryChange(long timeMs) {}
            });
    while (reader.processNextEvent()) {
      // reads until the source is exhausted
    }
    return events;
  }
}
