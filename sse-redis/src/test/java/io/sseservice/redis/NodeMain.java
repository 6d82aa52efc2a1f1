package io.sseservice.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A cluster node in a JVM of its own, for {@link RedisNodeProcessIT}: {@code NodeMain <redis uri>
 * <key prefix> <node id>} prints {@code PORT <n>} once it serves {@code /sse}, then obeys lines on
 * stdin: {@code send <clientId> <text>} sends to a client of the cluster, {@code quit} leaves.
 */
public final class NodeMain {

  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    try (HttpNode node = new HttpNode(args[0], args[1], args[2])) {
      System.out.println("PORT " + node.sse("").getPort());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      for (String line = in.readLine();
          line != null && !line.equals("quit");
          line = in.readLine()) {
        String[] parts = line.split(" ", 3);
        if (parts[0].equals("send")) {
          node.service.sendToClient(parts[1], parts[2]);
          System.out.println("SENT");
          System.out.flush();
        }
      }
    }
    System.exit(0);
  }
}
