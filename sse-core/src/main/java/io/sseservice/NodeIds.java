package io.sseservice;

import java.security.SecureRandom;

/** Makes the random node ids services get by default. Thread-safety: thread-safe. */
final class NodeIds {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeIds() {}

  /** Returns 8 random lower-case letters and digits: 41 bits, unique enough for any cluster. */
  static String random() {
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
