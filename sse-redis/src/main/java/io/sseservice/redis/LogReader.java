package io.sseservice.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Reads ranges of a group's log with the {@link Scripts#READ} script, for the backplane's gap
 * filling and the history's replay.
 *
 * <p>Thread-safety: thread-safe (Lettuce's async commands are).
 */
final class LogReader {

  private final Keys keys;

  LogReader(Keys keys) {
    this.keys = keys;
  }

  /** Reads up to {@code limit} events of {@code group} after {@code afterSeq} of {@code epoch}. */
  CompletionStage<GroupRange> read(
      RedisAsyncCommands<String, String> redis,
      String group,
      String epoch,
      long afterSeq,
      int limit) {
    String[] groupKeys = {keys.log(group), keys.seq(group), keys.epoch(group)};
    return redis
        .<List<Object>>eval(
            Scripts.READ,
            ScriptOutputType.MULTI,
            groupKeys,
            epoch,
            Long.toString(afterSeq),
            Integer.toString(limit))
        .thenApply(reply -> range(group, reply));
  }

  @SuppressWarnings("unchecked")
  private static GroupRange range(String group, List<Object> reply) {
    String epoch = (String) reply.get(0);
    long newest = (Long) reply.get(1);
    boolean gone = ((Long) reply.get(2)) == 1L;
    List<Object> newestEntry = (List<Object>) reply.get(3);
    List<Object> entries = (List<Object>) reply.get(4);
    List<GroupEvent> events = new ArrayList<>(entries.size());
    for (Object entry : entries) {
      events.add(event(group, epoch, (List<Object>) entry));
    }
    return new GroupRange(
        epoch, events, newest, newestId(group, epoch, newest, newestEntry, events), gone);
  }

  /** The newest event's id: the script's newest entry, or, when left out, the last one read. */
  private static @Nullable String newestId(
      String group, String epoch, long newest, List<Object> newestEntry, List<GroupEvent> events) {
    if (!newestEntry.isEmpty()) {
      return event(group, epoch, newestEntry).event().id().orElseThrow();
    }
    if (!events.isEmpty() && events.get(events.size() - 1).seq() == newest) {
      return events.get(events.size() - 1).event().id().orElseThrow();
    }
    return newest == 0 || epoch.isEmpty() ? null : EventFields.id(epoch, newest);
  }

  @SuppressWarnings("unchecked")
  static GroupEvent event(String group, String epoch, List<Object> entry) {
    String id = (String) entry.get(0);
    long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
    List<Object> values = (List<Object>) entry.get(1);
    Map<String, String> fields = new HashMap<>(values.size());
    for (int i = 0; i + 1 < values.size(); i += 2) {
      fields.put((String) values.get(i), (String) values.get(i + 1));
    }
    return EventFields.parse(group, epoch, seq, fields);
  }
}
