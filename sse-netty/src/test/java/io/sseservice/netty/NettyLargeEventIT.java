package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One event of 32 MiB to 6 readers in a JVM allowed 64 MiB of direct memory: every reader gets
 * all of it, and direct memory in use stays far below one event's size. (When each connection
 * copied its whole batch into a direct buffer, the process needed 192 MiB and the readers past
 * the limit were cut with {@code OutOfMemoryError: Cannot reserve ... direct buffer memory}.)
 */
class NettyLargeEventIT {

  @Test
  void oneLargeEventToSeveralReadersFitsInLittleDirectMemory() throws Exception {
    ChildJvm.Result result =
        ChildJvm.run(
            ChildJvm.command(
                List.of("-XX:MaxDirectMemorySize=64m", "-Xmx768m"),
                LargeEventProbe.class,
                "6",
                "32"),
            180);

    Matcher figures =
        Pattern.compile("received=(\\d+)/6 peakDirect=(\\d+)").matcher(result.output());
    assertThat(figures.find()).as(result.output()).isTrue();
    assertThat(Integer.parseInt(figures.group(1))).as(result.output()).isEqualTo(6);
    // a few pooled chunks at most, whatever the event's size: less than half of one event
    assertThat(Long.parseLong(figures.group(2))).as(result.output()).isLessThan(16L << 20);
  }
}
