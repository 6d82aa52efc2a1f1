package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A peer that vanishes without a FIN or a reset (its network gone) is noticed within a few
 * seconds on the epoll transport with {@code TCP_USER_TIMEOUT}, where the kernel alone took
 * 940–960 s (its retransmissions give up after about 15 minutes). Measured by
 * {@link VanishedPeerProbe} in a network namespace of its own whose loopback it takes down;
 * skipped where {@code unshare} or the epoll transport is missing (the Netty 4.1 execution has no
 * epoll jar).
 */
class NettyVanishedPeerIT {

  @Test
  void aVanishedPeerIsNoticedWithinTheTcpUserTimeout() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/unshare")),
        "needs unshare (util-linux) for a network namespace");
    assumeTrue(
        EpollTransport.isAvailable(),
        "needs Netty's epoll transport (netty-transport-native-epoll, linux-x86_64) for this line");
    assumeTrue(
        new ProcessBuilder("unshare", "-rn", "true").start().waitFor() == 0,
        "unshare -rn is not permitted here (user and network namespaces)");

    List<String> java =
        ChildJvm.command(List.of(), VanishedPeerProbe.class, "1000", "3000", "epoll", "60");
    List<String> command =
        new ArrayList<>(
            List.of("unshare", "-rn", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""));
    command.addAll(java);
    ChildJvm.Result result = ChildJvm.run(command, 120);

    Matcher noticed =
        Pattern.compile("transport=epoll noticedMillis=(\\d+)").matcher(result.output());
    assertThat(noticed.find()).as(result.output()).isTrue();
    // generous: TCP_USER_TIMEOUT is 3 s, the kernel alone took ~15 minutes
    assertThat(Long.parseLong(noticed.group(1))).as(result.output()).isLessThan(30_000);
  }
}
