package io.sseservice;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection limits of one service: how many connections it takes, how many groups may have
 * one, how many connections one group and one client may have. The registry asks it while it
 * changes a group's membership; a connect over a limit is refused with a
 * {@link ConnectRefusedException} that names the limit and its value.
 *
 * <p>The service-wide counts are reserved with an atomic increment before the connection (or the
 * group) is made, and given back when it is refused or removed, so that concurrent connects
 * never take the service past a limit; at the limit, a connect may be refused while another one,
 * refused later for another reason, briefly holds the last slot. The per-group and per-client
 * counts are read inside the group's {@code compute}, which serialises every change of the group.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ConnectionLimits {

  private final int maxConnections;
  private final int maxGroups;
  private final int maxPerGroup;
  private final int maxPerClient;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger groups = new AtomicInteger();

  ConnectionLimits(int maxConnections, int maxGroups, int maxPerGroup, int maxPerClient) {
    this.maxConnections = maxConnections;
    this.maxGroups = maxGroups;
    this.maxPerGroup = maxPerGroup;
    this.maxPerClient = maxPerClient;
  }

  /** Takes one of the service's connection slots, or refuses the connect (503). */
  void reserveConnection() {
    if (connections.incrementAndGet() > maxConnections) {
      connections.decrementAndGet();
      throw new ConnectRefusedException(
          ConnectRefusedException.SERVICE_UNAVAILABLE,
          "maxConnections ("
              + maxConnections
              + ") reached: this service takes no more"
              + " connections");
    }
  }

  void releaseConnection() {
    connections.decrementAndGet();
  }

  /** Takes one of the service's group slots for a new group, or refuses the connect (503). */
  void reserveGroup(String group) {
    if (groups.incrementAndGet() > maxGroups) {
      groups.decrementAndGet();
      throw new ConnectRefusedException(
          ConnectRefusedException.SERVICE_UNAVAILABLE,
          "maxGroups (" + maxGroups + ") reached: group \"" + group + "\" cannot be added");
    }
  }

  void releaseGroup() {
    groups.decrementAndGet();
  }

  /**
   * Refuses a connect to {@code group}, which has {@code groupConnections} already, when it is
   * full (503); or to a client with {@code clientConnections} already, when it has its most (429).
   */
  void checkRoom(String group, int groupConnections, String clientId, int clientConnections) {
    if (groupConnections >= maxPerGroup) {
      throw new ConnectRefusedException(
          ConnectRefusedException.SERVICE_UNAVAILABLE,
          "maxConnectionsPerGroup ("
              + maxPerGroup
              + ") reached: group \""
              + group
              + "\" takes no more connections");
    }
    if (clientConnections >= maxPerClient) {
      throw new ConnectRefusedException(
          ConnectRefusedException.TOO_MANY_REQUESTS,
          "maxConnectionsPerClient ("
              + maxPerClient
              + ") reached: client \""
              + clientId
              + "\" of group \""
              + group
              + "\" has as many connections as it may");
    }
  }
}
