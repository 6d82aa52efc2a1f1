package io.sseservice;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sseservice.SpecEventStreamParser.Dispatched;
import io.sseservice.internal.LastEventIds;
import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes what a reconnecting client sends: any {@code Last-Event-ID} header and query string
 * (the input's first line and the rest; each read as ISO-8859-1, as servers hand header bytes
 * over, as UTF-8, and unescaped as in {@link FuzzInput}, which reaches any char) is either taken
 * as an id that the history answers, with a replay or a reset, or as no id; nothing throws,
 * nothing blocks, and an id the history never held never passes for "nothing missed". And every
 * id the library writes, its own or a sender's, comes back through a spec parser and the header
 * to replay exactly the events after it.
 *
 * <p>{@code mvn test} runs the committed corpus under {@code LastEventIdFuzzTestInputs/}; {@code
 * JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md, "Fuzzing").
 */
class LastEventIdFuzzTest {

  private static final String GROUP = "g";
  private static final String CLIENT = "c";
  private static final int LIMIT = 100;

  /** A group with the library's ids and senders' (repeated, with colons, one client's own). */
  private static final InMemoryEventHistory HISTORY =
      InMemoryEventHistory.builder().maxEvents(5).ticker(() -> 0L).build();

  /** Every id HISTORY was given or gave, read from its frames by the spec parser. */
  private static final Set<String> KNOWN_IDS = new HashSet<>();

  static {
    record(null, SseEvent.of("generated"));
    record(null, SseEvent.builder().data("a").id("1").build());
    record(null, SseEvent.builder().data("b").id("node:7:1").build());
    record("other", SseEvent.builder().data("private").id("p").build());
    record(CLIENT, SseEvent.builder().data("own").id("mine").build());
    record(null, SseEvent.builder().data("again").id("1").build());
    record(null, SseEvent.of("newest"));
  }

  private static void record(@Nullable String clientId, SseEvent event) {
    Recorded recorded = HISTORY.append(GROUP, clientId, event, SseEncoder::encode);
    KNOWN_IDS.add(SpecEventStreamParser.parse(recorded.frame()).lastEventId());
  }

  @DictionaryFile(resourcePath = "LastEventIdFuzzTest.dict")
  @FuzzTest(maxDuration = "5m")
  void anyLastEventIdIsReplayedOrReset(byte[] input) {
    int newline = indexOf(input, (byte) '\n');
    byte[] header = newline < 0 ? input : Arrays.copyOfRange(input, 0, newline);
    String query =
        newline < 0 ? null : new String(input, newline + 1, input.length - newline - 1, ISO_8859_1);
    for (String value : readings(header)) {
      String lastEventId = checkApply(value, query);
      if (lastEventId != null) {
        checkReplay(lastEventId);
      }
      checkApply(value, null);
      checkRoundTrip(value);
    }
  }

  /** The header as ISO-8859-1, as UTF-8 (malformed bytes replaced), and unescaped. */
  private static List<String> readings(byte[] header) {
    String latin1 = new String(header, ISO_8859_1);
    return List.of(latin1, FuzzInput.text(header), FuzzInput.unescape(latin1));
  }

  /**
   * Applies the header and query as every adapter does; returns the id the connection gets. A
   * non-empty header wins; else the query's {@code lastEventId} pair; an id set by the
   * application is never replaced.
   */
  private static @Nullable String checkApply(String header, @Nullable String query) {
    ConnectOptions applied = LastEventIds.apply(ConnectOptions.defaults(), header, query);
    Optional<String> id = applied.lastEventId();
    if (!header.isEmpty()) {
      assertThat(id).contains(header);
    } else if (!hasParam(query)) {
      assertThat(id).isEmpty();
    }
    ConnectOptions set = ConnectOptions.builder().lastEventId("set").build();
    assertThat(LastEventIds.apply(set, header, query).lastEventId()).contains("set");
    return id.orElse(null);
  }

  private static boolean hasParam(@Nullable String query) {
    return query != null
        && Arrays.stream(query.split("&", -1)).anyMatch(p -> p.startsWith("lastEventId="));
  }

  /** The history answers at once, without throwing; only an id it held can mean "up to date". */
  private static void checkReplay(String lastEventId) {
    CompletableFuture<Replay> stage = HISTORY.replay(request(lastEventId)).toCompletableFuture();
    assertThat(stage).isCompletedWithValueMatching(r -> r != null);
    Replay replay = stage.join();
    if (!replay.isReset()) {
      assertThat(KNOWN_IDS).as("an id it never held is a reset").contains(lastEventId);
      return;
    }
    byte[] reset = LocalDelivery.resetFrame(replay.newestId().orElse(null));
    List<Dispatched> events = SpecEventStreamParser.parse(reset).dispatched;
    assertThat(events).hasSize(1);
    assertThat(events.get(0).type()).isEqualTo(SseService.RESET_EVENT);
  }

  /**
   * An event carrying {@code value} as its id, if the builder takes it, and one without an id
   * (the history gives it one), then one more: each id the spec parser reads from the stream,
   * sent back as the header, replays exactly the frames that came after it (after its first use,
   * when the sender's id happens to equal one the history made).
   */
  private static void checkRoundTrip(String value) {
    InMemoryEventHistory history = InMemoryEventHistory.builder().ticker(() -> 0L).build();
    SseEvent given = SseEvent.of(value); // an empty id resets: a client sends none back
    try {
      given = value.isEmpty() ? given : SseEvent.builder().data(value).id(value).build();
    } catch (IllegalArgumentException refused) {
      // an id that cannot be written as it is: EncoderFuzzTest checks that it is refused
    }
    byte[][] frames = {
      history.append(GROUP, null, given, SseEncoder::encode).frame(),
      history.append(GROUP, null, SseEvent.of("generated id"), SseEncoder::encode).frame(),
      history.append(GROUP, null, SseEvent.of("last"), SseEncoder::encode).frame()
    };
    List<String> ids = new ArrayList<>();
    for (byte[] frame : frames) {
      ids.add(SpecEventStreamParser.parse(frame).lastEventId());
    }
    for (int i = 0; i < frames.length; i++) {
      String sentBack = ids.get(i);
      String id =
          LastEventIds.apply(ConnectOptions.defaults(), sentBack, null).lastEventId().orElseThrow();
      Replay replay = history.replay(request(id)).toCompletableFuture().join();
      assertThat(replay.isReset()).as("replay after id %s (sent as %s)", id, value).isFalse();
      // a sender's id may equal one the history gives: replay starts after the first (documented)
      int first = ids.indexOf(sentBack);
      assertThat(replay.frames())
          .containsExactly(Arrays.copyOfRange(frames, first + 1, frames.length));
    }
  }

  private static ReplayRequest request(String lastEventId) {
    return new ReplayRequest(GROUP, CLIENT, lastEventId, LIMIT, SseEncoder::encode);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
