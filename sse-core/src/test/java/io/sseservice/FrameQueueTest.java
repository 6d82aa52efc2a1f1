package io.sseservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link FrameQueue} and its {@link KeyIndex} against plain collections, step by step. */
class FrameQueueTest {

  /** One frame as the model keeps it. */
  private record Item(byte[] frame, String key, long seq) {}

  private static byte[] frame(int n) {
    return ("data: " + n + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aKeyedFrameReplacesTheQueuedOneOfItsKeyAndGoesLast() {
    FrameQueue queue = new FrameQueue();
    byte[] a1 = frame(1);
    byte[] b1 = frame(2);
    byte[] a2 = frame(3);
    queue.add(a1, "A", -1);
    queue.add(b1, "B", -1);
    assertThat(queue.remove("A")).isSameAs(a1);
    queue.add(a2, "A", -1);
    assertThat(queue.remove("C")).isNull();

    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.poll()).isSameAs(b1);
    assertThat(queue.poll()).isSameAs(a2);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.remove("A")).as("a polled frame is not queued any more").isNull();
  }

  @Test
  void replacementsOnAQueueThatNeverDrainsCompactTheRingInsteadOfGrowingIt() {
    FrameQueue queue = new FrameQueue();
    for (int i = 0; i < 100_000; i++) {
      String key = "K" + (i % 3);
      queue.remove(key);
      queue.add(frame(i), key, -1);
    }
    assertThat(queue.size()).isEqualTo(3);
    // the last three values, in the order they were sent
    assertThat(new String(queue.poll(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("data: 99997\n\n");
    assertThat(new String(queue.poll(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("data: 99998\n\n");
    assertThat(new String(queue.poll(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("data: 99999\n\n");
  }

  @Test
  void randomOperationsMatchAModel() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      FrameQueue queue = new FrameQueue();
      List<Item> model = new ArrayList<>();
      boolean positions = false;
      int keys = 1 + random.nextInt(run % 2 == 0 ? 4 : 300);
      for (int step = 0; step < 2_000; step++) {
        int op = random.nextInt(10);
        if (op < 6) { // offer, as the outbox does: remove the key's frame, then add
          String key = random.nextInt(3) == 0 ? null : "K" + random.nextInt(keys);
          byte[] f = frame(step);
          if (key != null) {
            byte[] removed = queue.remove(key);
            Item expected = removeKey(model, key);
            assertThat(removed).isSameAs(expected == null ? null : expected.frame());
          }
          queue.add(f, key, step);
          model.add(new Item(f, key, positions ? step : -1));
        } else if (op < 9) {
          if (!model.isEmpty()) {
            assertThat(queue.poll()).isSameAs(model.remove(0).frame());
          }
        } else if (!positions) {
          queue.keepPositions();
          positions = true;
          model.replaceAll(i -> new Item(i.frame(), i.key(), -1));
        } else {
          long through = random.nextInt(step + 1);
          long freed = queue.dropPositionsThrough(through);
          long expectedFreed = 0;
          for (Iterator<Item> it = model.iterator(); it.hasNext(); ) {
            Item i = it.next();
            if (i.seq() >= 0 && i.seq() <= through) {
              expectedFreed += i.frame().length;
              it.remove();
            }
          }
          assertThat(freed).isEqualTo(expectedFreed);
          positions = false;
          model.replaceAll(i -> new Item(i.frame(), i.key(), -1));
        }
        assertThat(queue.size()).isEqualTo(model.size());
      }
      for (Item item : model) {
        assertThat(queue.poll()).isSameAs(item.frame());
      }
      assertThat(queue.isEmpty()).isTrue();
    }
  }

  private static Item removeKey(List<Item> model, String key) {
    for (Iterator<Item> it = model.iterator(); it.hasNext(); ) {
      Item i = it.next();
      if (key.equals(i.key())) {
        it.remove();
        return i;
      }
    }
    return null;
  }

  @Test
  void theIndexMatchesAHashMapWithCollidingKeys() {
    Random random = new Random(7);
    KeyIndex index = new KeyIndex();
    Map<String, Integer> model = new HashMap<>();
    // "Aa" and "BB" share a hash code, so do their concatenations: long probe chains
    String[] parts = {"Aa", "BB"};
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      StringBuilder k = new StringBuilder();
      for (int b = 0; b < 6; b++) {
        k.append(parts[(i >> b) & 1]);
      }
      keys.add(k.toString());
    }
    for (int i = 0; i < 200; i++) {
      keys.add("k" + i);
    }
    for (int step = 0; step < 100_000; step++) {
      String key = keys.get(random.nextInt(keys.size()));
      if (model.containsKey(key)) {
        assertThat(index.get(key)).isEqualTo(model.get(key));
        assertThat(index.remove(key)).isEqualTo(model.remove(key));
      } else {
        assertThat(index.get(key)).isEqualTo(-1);
        assertThat(index.remove(key)).isEqualTo(-1);
        index.put(key, step);
        model.put(key, step);
      }
      assertThat(index.size()).isEqualTo(model.size());
    }
    model.forEach((k, v) -> assertThat(index.get(k)).isEqualTo(v));
  }
}
