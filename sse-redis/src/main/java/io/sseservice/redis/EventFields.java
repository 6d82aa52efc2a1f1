package io.sseservice.redis;

import io.sseservice.SseEvent;
import io.sseservice.spi.GroupEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event as the fields of its stream entry, and back: {@code c} the client it is for (absent:
 * the whole group), {@code i} the id the sender gave, {@code e} the type, {@code d} the data,
 * {@code r} the retry in milliseconds, {@code m} a comment, {@code k} the conflation key (never
 * written to a stream; a node that does not know the field ignores it, and an entry written
 * without it has no key). An absent field is an absent value;
 * the id of an event without a given one is {@code <epoch>-<seq>}.
 *
 * <p>Thread-safety: stateless.
 */
final class EventFields {

  private EventFields() {}

  /** The field-value pairs to store, in the order the publish script takes them. */
  static List<String> of(@Nullable String clientId, SseEvent event) {
    List<String> fields = new ArrayList<>(12);
    if (clientId != null) {
      add(fields, "c", clientId);
    }
    event.id().ifPresent(v -> add(fields, "i", v));
    event.event().ifPresent(v -> add(fields, "e", v));
    event.data().ifPresent(v -> add(fields, "d", v));
    event.retry().ifPresent(v -> add(fields, "r", Long.toString(v.toMillis())));
    event.comment().ifPresent(v -> add(fields, "m", v));
    event.conflationKey().ifPresent(v -> add(fields, "k", v));
    return fields;
  }

  /** The event of entry {@code seq} of {@code group}'s log in {@code epoch}. */
  static GroupEvent parse(String group, String epoch, long seq, Map<String, String> fields) {
    String given = fields.get("i");
    SseEvent.Builder event =
        SseEvent.builder()
            .id(given != null ? given : id(epoch, seq))
            .event(fields.get("e"))
            .data(fields.get("d"))
            .comment(fields.get("m"))
            .conflationKey(fields.get("k"));
    String retry = fields.get("r");
    if (retry != null) {
      event.retry(Duration.ofMillis(Long.parseLong(retry)));
    }
    return new GroupEvent(group, epoch, seq, fields.get("c"), event.build());
  }

  /** The id an event gets at position {@code seq} of {@code epoch}. */
  static String id(String epoch, long seq) {
    return epoch + "-" + seq;
  }

  private static void add(List<String> fields, String name, String value) {
    fields.add(name);
    fields.add(value);
  }
}
